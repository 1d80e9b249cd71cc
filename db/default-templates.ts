/** The default mail and document templates (Dutch), seeded as version 1. */
import type { TemplateKind } from './entities/index.js';

export interface DefaultTemplate {
  key: string;
  kind: TemplateKind;
  subject: string;
  body: string;
}

export const defaultTemplates: DefaultTemplate[] = [
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
];
