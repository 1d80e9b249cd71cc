/**
 * The default mortgage process, version 1 (DOMAIN.md process 2): the advice arrives as an HDN
 * AX and becomes this product; the adviser sends the application to the lender; from then on
 * the lender's SX status codes move the product (`lenderStatuses`), its OX offers start
 * reminders on their acceptance and validity dates (`offerDeadlines`), and the adviser enters
 * the financing-condition date (*ontbindende voorwaarde*), which the workflow guards.
 *
 * SX 24 (being modified by the lender) and 01 (offer term expiring) have no status of their
 * own: they are recorded in the history without moving the product.
 */
import type { ProcessDefinition } from '../process/definition.js';

/** Statuses from which the final approval (SX05) has been reached. */
const approved = ['definitief-akkoord', 'bij-notaris', 'uitbetaling', 'lopend'];
const open = [
  'advies-ontvangen',
  'aanvraag-verstuurd',
  'ontvangst-bevestigd',
  'in-behandeling',
  'renteaanbod',
  'wacht-op-stukken',
  'in-acceptatie',
  'bindend-aanbod',
  'niet-verwerkbaar',
  'technisch-niet-verwerkbaar',
  ...approved,
];

export const mortgageProcessV1: ProcessDefinition = {
  key: 'mortgage',
  version: 1,
  name: 'Hypotheek',
  productType: 'mortgage',
  initialStatus: 'advies-ontvangen',
  statuses: [
    { code: 'advies-ontvangen', label: 'Advies ontvangen', category: 'new' },
    { code: 'aanvraag-verstuurd', label: 'Offerte aangevraagd', category: 'new' },
    { code: 'ontvangst-bevestigd', label: 'Ontvangst bevestigd', category: 'new' },
    { code: 'in-behandeling', label: 'In behandeling', category: 'new' },
    { code: 'renteaanbod', label: 'Renteaanbod ontvangen', category: 'new' },
    { code: 'wacht-op-stukken', label: 'Wacht op stukken', category: 'new' },
    { code: 'in-acceptatie', label: 'In behandeling acceptatie', category: 'new' },
    { code: 'bindend-aanbod', label: 'Offerte ontvangen', category: 'new' },
    { code: 'definitief-akkoord', label: 'Definitief akkoord', category: 'running' },
    { code: 'bij-notaris', label: 'Dossier bij notaris', category: 'running' },
    { code: 'uitbetaling', label: 'Gelden worden uitbetaald', category: 'running' },
    { code: 'lopend', label: 'Lopend (lening in beheer)', category: 'running' },
    { code: 'niet-verwerkbaar', label: 'Kan niet verwerkt worden', category: 'new' },
    { code: 'technisch-niet-verwerkbaar', label: 'Technisch niet verwerkbaar', category: 'new' },
    { code: 'afgewezen', label: 'Afgewezen', category: 'ended' },
    { code: 'beeindigd', label: 'Beëindigd', category: 'ended' },
    { code: 'vervallen', label: 'Vervallen', category: 'ended' },
  ],
  steps: [
    {
      id: 'send-application',
      label: 'Aanvraag versturen naar maatschappij',
      from: ['advies-ontvangen'],
      to: 'aanvraag-verstuurd',
      actions: [
        {
          kind: 'sendHdnApplication',
          watchdogMinutes: 15,
          watchdogTask: 'Geen ontvangstbevestiging (SX09) van de maatschappij binnen 15 minuten: navragen',
        },
      ],
    },
    {
      id: 'enter-financing-condition',
      label: 'Datum ontbindende voorwaarde financiering invoeren',
      from: open,
      input: [{ name: 'financingConditionDate', label: 'Datum ontbindende voorwaarde', type: 'date', required: true }],
      actions: [
        {
          kind: 'waitForDate',
          deadline: 'ontbindende-voorwaarde',
          dateFromInput: 'financingConditionDate',
          remindDaysBefore: [14, 7, 3],
          reminder: { task: 'Ontbindende voorwaarde nadert en er is nog geen definitief akkoord: verlenging tijdig regelen' },
          onDate: { task: 'Ontbindende voorwaarde verloopt vandaag zonder definitief akkoord: direct actie nemen' },
          satisfiedBy: approved,
        },
      ],
    },
    {
      id: 'cancel',
      label: 'Aanvraag intrekken',
      from: open.filter((s) => !approved.includes(s)),
      to: 'vervallen',
      actions: [],
    },
  ],
  lenderStatuses: [
    { code: '09', status: 'ontvangst-bevestigd' },
    { code: '10', status: 'in-behandeling' },
    { code: '22', status: 'renteaanbod' },
    { code: '12', status: 'wacht-op-stukken' },
    { code: '04', status: 'in-acceptatie' },
    { code: '23', status: 'bindend-aanbod' },
    { code: '05', status: 'definitief-akkoord' },
    { code: '31', status: 'bij-notaris' },
    { code: '26', status: 'uitbetaling' },
    { code: '20', status: 'lopend' },
    { code: '14', status: 'niet-verwerkbaar' },
    { code: '25', status: 'technisch-niet-verwerkbaar' },
    { code: '11', status: 'afgewezen' },
    { code: '16', status: 'beeindigd' },
  ],
  offerDeadlines: [
    {
      deadline: 'renteaanbod-acceptatie',
      date: 'acceptanceDate',
      offerTypes: ['18'],
      remindDaysBefore: [3],
      reminder: { task: 'Renteaanbod: de acceptatietermijn verloopt binnenkort' },
      onDate: { task: 'Renteaanbod: vandaag is de laatste dag om te accepteren' },
      satisfiedBy: ['in-acceptatie', 'bindend-aanbod', ...approved],
    },
    {
      deadline: 'bindend-aanbod-ondertekening',
      date: 'acceptanceDate',
      offerTypes: ['00'],
      remindDaysBefore: [5, 2],
      reminder: { task: 'Bindend aanbod: laat de klant de offerte tijdig ondertekenen' },
      onDate: { task: 'Bindend aanbod: vandaag verloopt de tekentermijn' },
      satisfiedBy: approved,
    },
    {
      deadline: 'offerte-geldigheid',
      date: 'validityDate',
      offerTypes: ['00'],
      remindDaysBefore: [30, 14],
      reminder: { task: 'Offerte verloopt: de akte moet vóór de geldigheidsdatum passeren (verlenging?)' },
      onDate: { task: 'Offerte verloopt vandaag' },
      satisfiedBy: ['uitbetaling', 'lopend'],
    },
  ],
};
