/** The default mail and document templates (Dutch), seeded as version 1. */
import type { TemplateKind } from '../../db/entities/index.js';

export interface DefaultTemplate {
  key: string;
  kind: TemplateKind;
  subject: string;
  body: string;
}

export const defaultTemplates: DefaultTemplate[] = [
  {
    key: 'appointment-confirmation',
    kind: 'mail',
    subject: 'Bevestiging van onze afspraak op {{appointment.dateTime}}',
    body: `Beste {{recipient.firstName}},

Hierbij bevestigen wij onze afspraak.

{{appointment.title}}
Datum: {{appointment.date}}
Tijd: {{appointment.time}} tot {{appointment.endTime}}
{{appointment.where}}
Adviseur: {{appointment.adviser}}

In de bijlage vindt u de afspraak voor uw agenda. De dag ervoor sturen wij u een herinnering.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'appointment-rescheduled',
    kind: 'mail',
    subject: 'Gewijzigd: onze afspraak is verzet naar {{appointment.dateTime}}',
    body: `Beste {{recipient.firstName}},

Onze afspraak is gewijzigd. Dit is de nieuwe afspraak:

{{appointment.title}}
Datum: {{appointment.date}}
Tijd: {{appointment.time}} tot {{appointment.endTime}}
{{appointment.where}}
Adviseur: {{appointment.adviser}}

De bijlage werkt de afspraak in uw agenda bij.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'appointment-cancelled',
    kind: 'mail',
    subject: 'Geannuleerd: onze afspraak op {{appointment.dateTime}}',
    body: `Beste {{recipient.firstName}},

Onze afspraak "{{appointment.title}}" op {{appointment.dateTime}} gaat niet door. Met de bijlage verdwijnt de afspraak uit uw agenda.

Wilt u een nieuwe afspraak maken? Neem gerust contact met ons op.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'appointment-reminder',
    kind: 'mail',
    subject: 'Herinnering: morgen om {{appointment.time}} onze afspraak',
    body: `Beste {{recipient.firstName}},

Graag herinneren wij u aan onze afspraak van morgen.

{{appointment.title}}
Datum: {{appointment.date}}
Tijd: {{appointment.time}} tot {{appointment.endTime}}
{{appointment.where}}
Adviseur: {{appointment.adviser}}

Tot morgen!

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'portal-activation',
    kind: 'mail',
    subject: 'Activeer uw klantportaal bij {{office.name}}',
    body: `Beste {{recipient.firstName}},

Via uw persoonlijke klantportaal kunt u documenten veilig met ons delen. Activeer uw portaal met deze link:

{{activationUrl}}

De link is {{activation.days}} dagen geldig, tot en met {{activation.expiresOn}}. Deel de link niet met anderen.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'checklist-rejection',
    kind: 'mail',
    subject: 'Uw document voor "{{line.label}}" is afgekeurd',
    body: `Beste {{recipient.firstName}},

Wij hebben het document dat u aanleverde voor "{{line.label}}" ({{file.name}}) helaas niet kunnen goedkeuren.

Reden: {{rejection.reason}}

Wilt u een nieuw document aanleveren via uw klantportaal? Gebruik daarvoor de link uit onze eerdere mail.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'conversation-report',
    kind: 'mail',
    subject: 'Gespreksverslag van {{contactMoment.date}} (dossier {{dossier.number}})',
    body: `Beste {{recipient.firstName}},

Hierbij het verslag van ons contact op {{contactMoment.date}} ({{contactMoment.channel}}).

{{contactMoment.summary}}

Klopt er iets niet of wilt u iets aanvullen? Laat het ons gerust weten.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'service-agreement',
    kind: 'document',
    subject: 'Opdracht tot dienstverlening',
    body: `## Partijen
{{office.name}}, hierna: de adviseur,

en

{{applicants.lines}}

hierna: de opdrachtgever, met dossiernummer {{dossier.number}}.

## Opdracht
De opdrachtgever geeft de adviseur opdracht tot de volgende dienstverlening:
{{services}}

## Werkwijze
De adviseur brengt de persoonlijke en financiële situatie van de opdrachtgever in kaart, toetst de wensen en doelstellingen en geeft op basis daarvan een passend advies. Op verzoek van de opdrachtgever bemiddelt de adviseur bij het afsluiten van de geadviseerde producten.

De opdrachtgever verstrekt de adviseur tijdig alle gegevens en documenten die voor het advies nodig zijn en staat in voor de juistheid en volledigheid daarvan.

## Ondertekening
Aldus overeengekomen op {{today}}.

Namens {{office.name}}:

Handtekening: ________________________________

De opdrachtgever: {{applicants.names}}

Handtekening: ________________________________`,
  },
  {
    key: 'task-reminder',
    kind: 'mail',
    subject: 'Herinnering dossier {{dossier.number}}',
    body: `Beste {{recipient.firstName}},

Graag herinneren wij u eraan dat wij voor uw dossier {{dossier.number}} nog iets van u nodig hebben. Wilt u contact met ons opnemen?

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'invoice',
    kind: 'mail',
    subject: 'Factuur {{invoice.number}} van {{office.name}}',
    body: `Beste {{recipient.firstName}},

Hierbij ontvangt u factuur {{invoice.number}} van {{invoice.date}} voor {{invoice.description}}.

Totaal: {{invoice.total}} (waarvan btw {{invoice.vat}}).
{{invoice.paymentText}}

De factuur staat als PDF in uw dossier {{dossier.number}}; op verzoek sturen wij u een kopie.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'invoice-document',
    kind: 'document',
    subject: 'Factuur {{invoice.number}}',
    body: `## {{office.name}}
Factuur aan: {{applicants.names}}
Dossier: {{dossier.number}}

## Factuurgegevens
Factuurnummer: {{invoice.number}}
Factuurdatum: {{invoice.date}}
Periode: {{invoice.period}}
Vervaldatum: {{invoice.dueDate}}

## Omschrijving
{{invoice.lines}}

Subtotaal: {{invoice.net}}
Btw: {{invoice.vat}}
Totaal: {{invoice.total}}

## Betaling
{{invoice.paymentText}}`,
  },
  {
    key: 'reminder-1',
    kind: 'mail',
    subject: 'Herinnering: factuur {{invoice.number}} staat nog open',
    body: `Beste {{recipient.firstName}},

Volgens onze administratie staat factuur {{invoice.number}} van {{invoice.date}} nog open: {{invoice.open}}. De vervaldatum was {{invoice.dueDate}}.

Wilt u het bedrag overmaken naar {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}? Heeft u al betaald, dan kunt u deze herinnering als niet verzonden beschouwen.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'reminder-2',
    kind: 'mail',
    subject: 'Tweede herinnering: factuur {{invoice.number}}',
    body: `Beste {{recipient.firstName}},

Wij hebben u eerder herinnerd aan factuur {{invoice.number}} van {{invoice.date}}, maar de betaling is nog niet binnen. Het openstaande bedrag is {{invoice.open}}; de vervaldatum was {{invoice.dueDate}}.

Wilt u het bedrag binnen zeven dagen overmaken naar {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}? Neem contact met ons op als er iets niet klopt.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'storno-reminder',
    kind: 'mail',
    subject: 'Incasso van factuur {{invoice.number}} is teruggeboekt',
    body: `Beste {{recipient.firstName}},

De automatische incasso van factuur {{invoice.number}} ({{invoice.open}}) is teruggeboekt ({{storno.reason}}). De factuur staat daardoor weer open.

Wilt u het bedrag overmaken naar {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}?

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'fourteen-day-letter',
    kind: 'document',
    subject: 'Aanmaning factuur {{invoice.number}} (14-dagenbrief)',
    body: `## {{office.name}}
Aan: {{applicants.names}}
Datum: {{today}}
Betreft: factuur {{invoice.number}} van {{invoice.date}}

## Aanmaning
Ondanks eerdere herinneringen hebben wij de betaling van factuur {{invoice.number}} nog niet ontvangen. Het openstaande bedrag is {{invoice.open}}.

Wij geven u de gelegenheid dit bedrag {{letter.term}} te betalen, dus uiterlijk op {{letter.payBy}}, op rekening {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}.

Betaalt u niet binnen deze termijn, dan zijn wij genoodzaakt de vordering uit handen te geven. U bent dan buitengerechtelijke incassokosten verschuldigd van {{letter.costs}} (berekend volgens het Besluit vergoeding voor buitengerechtelijke incassokosten), zodat het totaal dan {{letter.totalWithCosts}} wordt. Deze kosten zijn niet met btw verhoogd.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    // A reminder by letter that is not the 14-dagenbrief (e.g. "Eerste herinnering" by post): no
    // statutory term and no collection costs, which only the 14-dagenbrief may announce (WIK).
    key: 'reminder-letter',
    kind: 'document',
    subject: 'Herinnering factuur {{invoice.number}}',
    body: `## {{office.name}}
Aan: {{applicants.names}}
Datum: {{today}}
Betreft: factuur {{invoice.number}} van {{invoice.date}}

## Herinnering
Volgens onze administratie staat factuur {{invoice.number}} nog open: {{invoice.open}}. De vervaldatum was {{invoice.dueDate}}.

Wilt u het bedrag overmaken naar {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}? Heeft u al betaald, dan kunt u deze herinnering als niet verzonden beschouwen.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'fourteen-day-letter-mail',
    kind: 'mail',
    subject: 'Aanmaning factuur {{invoice.number}}',
    body: `Beste {{recipient.firstName}},

Factuur {{invoice.number}} staat ondanks eerdere herinneringen nog open ({{invoice.open}}). In de bijgevoegde brief, die ook in uw dossier staat, leest u wat dit betekent.

U kunt het bedrag {{letter.term}} betalen, dus uiterlijk op {{letter.payBy}}, op {{creditor.iban}} ten name van {{office.name}}, onder vermelding van {{invoice.number}}. Betaalt u niet binnen deze termijn, dan bent u incassokosten verschuldigd van {{letter.costs}}.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'ockto-reminder',
    kind: 'mail',
    subject: 'Herinnering: deel uw gegevens via Ockto met {{office.name}}',
    body: `Beste {{recipient.firstName}},

Voor uw advies hebben wij uw gegevens nodig. U kunt ze veilig en snel met ons delen via de Ockto-app, met deze link:

{{ockto.url}}

De link is geldig tot en met {{ockto.expiresOn}}. Lukt het niet, of heeft u vragen? Neem dan contact met ons op.

Met vriendelijke groet,
{{office.name}}`,
  },
  {
    key: 'campaign-newsletter',
    kind: 'mail',
    subject: 'Nieuws van {{office.name}}',
    body: `Beste {{recipient.fullName}},

Graag brengen wij u op de hoogte van het laatste nieuws over uw hypotheek en verzekeringen. Heeft u vragen over uw situatie, of is er iets veranderd? Neem gerust contact met ons op, dan kijken wij samen of uw producten nog bij u passen.

Wilt u deze berichten niet meer ontvangen? Laat het ons weten, dan melden wij u af.

Met vriendelijke groet,
{{office.name}}`,
  },
];
