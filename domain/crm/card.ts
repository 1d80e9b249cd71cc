/**
 * The closed lists of the CRM card (*relatiekaart*): the migration CHECKs of the crm_* tables,
 * the API schemas (services/crm/card.schemas.ts) and the code follow these.
 */

/** The type of a free property an admin defines (crm_property_definitions.type). */
export const propertyTypes = ['text', 'number', 'date', 'boolean', 'choice'] as const;
export type PropertyType = (typeof propertyTypes)[number];

/** What the related person is to this one (crm_relations.type); partner, ouder↔kind and collega are mirrored. */
export const relationTypes = ['partner', 'ouder', 'kind', 'collega', 'other'] as const;
export type RelationType = (typeof relationTypes)[number];

/**
 * The inverse of "B is A's <type>", stored on B's card as "A is B's <inverse>". `other` has no
 * inverse we can name (a notary of the client is not the client of the notary), so it is one-way.
 */
export const inverseRelation: Record<RelationType, RelationType | null> = {
  partner: 'partner',
  ouder: 'kind',
  kind: 'ouder',
  collega: 'collega',
  other: null,
};

/** The priority of a note (crm_notes.priority). */
export const notePriorities = ['low', 'normal', 'high'] as const;
export type NotePriority = (typeof notePriorities)[number];

/** How notes are listed after the always-first ones: newest first, highest priority first, or by author (name A–Z, then newest). */
export const noteSorts = ['date', 'priority', 'author'] as const;
export type NoteSort = (typeof noteSorts)[number];

/** How the identity was checked (crm_identifications.method). */
export const identificationMethods = ['in_person', 'video', 'idin', 'copy', 'other'] as const;
export type IdentificationMethod = (typeof identificationMethods)[number];

/** The identity document that was checked (crm_identifications.document_type). */
export const identificationDocumentTypes = ['paspoort', 'id-kaart', 'rijbewijs', 'verblijfsdocument'] as const;
export type IdentificationDocumentType = (typeof identificationDocumentTypes)[number];
