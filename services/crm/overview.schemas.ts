/** The payload of the CRM overview (*CRM | Overzicht*, seed 002): per component its count and latest items. */
import { Type, type Static } from '@sinclair/typebox';
import { InstantSchema, Nullable } from '../shared/schemas.js';

export const OverviewItemSchema = Type.Object(
  {
    id: Type.String(),
    label: Type.String({ description: 'what the item is called (a name, a dossier number, a title, a file name)' }),
    at: InstantSchema,
    link: Type.String({ description: 'where the web UI shows it, e.g. /crm/persons/<id> or /dossiers/<id>' }),
  },
  { additionalProperties: false },
);
export type OverviewItem = Static<typeof OverviewItemSchema>;

export const OverviewComponentSchema = Type.Object(
  {
    key: Type.String({ description: 'stable key of the component, e.g. persons, dossiers, notes' }),
    label: Type.String({ description: 'Dutch label, e.g. Personen' }),
    count: Type.Integer({ minimum: 0 }),
    latestCreated: Nullable(OverviewItemSchema),
    latestUpdated: Nullable(OverviewItemSchema),
  },
  { additionalProperties: false },
);

export const CrmOverviewSchema = Type.Object({ components: Type.Array(OverviewComponentSchema) }, { additionalProperties: false });
export type CrmOverview = Static<typeof CrmOverviewSchema>;
