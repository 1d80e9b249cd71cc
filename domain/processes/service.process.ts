/**
 * The default service (*dienst*) process, version 1: prospect -> client (DOMAIN.md process 1).
 * Choose the document checklist, send the portal activation link, register contact moments
 * (optionally mail a conversation report and create a follow-up task), then create the
 * service agreement (*Opdracht tot dienstverlening*), which makes the dossier a client.
 */
import { checklistProfileCodes } from '../checklists.js';
import type { ProcessDefinition } from '../process/definition.js';

export const serviceProcessV1: ProcessDefinition = {
  key: 'service',
  version: 1,
  name: 'Dienst',
  productType: 'service',
  initialStatus: 'new',
  statuses: [
    { code: 'new', label: 'Nieuw', category: 'new' },
    { code: 'checklist-chosen', label: 'Stukkenlijst gekozen', category: 'new' },
    { code: 'portal-invited', label: 'Activatielink verstuurd', category: 'new' },
    { code: 'in-contact', label: 'In gesprek', category: 'new' },
    { code: 'agreed', label: 'Opdracht verstrekt', category: 'running' },
    { code: 'cancelled', label: 'Vervallen', category: 'ended' },
  ],
  steps: [
    {
      id: 'choose-checklist',
      label: 'Stukkenlijst kiezen',
      from: ['new'],
      to: 'checklist-chosen',
      input: [{ name: 'profile', label: 'Klantprofiel', type: 'choice', required: true, choices: [...checklistProfileCodes] }],
      actions: [{ kind: 'createChecklist', profileFromInput: 'profile' }],
    },
    {
      id: 'send-portal-activation',
      label: 'Activatielink versturen',
      from: ['checklist-chosen'],
      to: 'portal-invited',
      actions: [{ kind: 'sendPortalActivation', template: 'portal-activation' }],
    },
    {
      id: 'register-contact',
      label: 'Contactmoment registreren',
      from: ['portal-invited', 'in-contact'],
      to: 'in-contact',
      input: [
        { name: 'channel', label: 'Kanaal', type: 'choice', required: true, choices: ['telefoon', 'gesprek', 'e-mail', 'video'] },
        { name: 'summary', label: 'Verslag', type: 'text', required: true },
        { name: 'sendReport', label: 'Gespreksverslag mailen', type: 'boolean' },
        { name: 'followUpTask', label: 'Opvolgtaak aanmaken', type: 'boolean' },
        { name: 'followUpDate', label: 'Opvolgdatum', type: 'date' },
      ],
      actions: [
        { kind: 'registerContactMoment' },
        { kind: 'sendMail', template: 'conversation-report', to: 'applicants', when: { input: 'sendReport', equals: true } },
        {
          kind: 'createTask',
          title: 'Opvolging contactmoment',
          assignee: 'adviser',
          dueFromInput: 'followUpDate',
          when: { input: 'followUpTask', equals: true },
        },
      ],
    },
    {
      id: 'create-agreement',
      label: 'Opdracht tot dienstverlening aanmaken',
      from: ['portal-invited', 'in-contact'],
      to: 'agreed',
      actions: [
        { kind: 'generateDocument', template: 'service-agreement', documentType: 'opdracht-tot-dienstverlening' },
        { kind: 'setDossierStatus', status: 'client' },
      ],
    },
    {
      id: 'cancel',
      label: 'Dienst laten vervallen',
      from: ['new', 'checklist-chosen', 'portal-invited', 'in-contact'],
      to: 'cancelled',
      actions: [],
    },
  ],
};
