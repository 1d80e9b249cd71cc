/** The status of a client dossier: *prospect* until the service agreement is signed, then *klant*. */
export const dossierStatuses = ['prospect', 'client'] as const;
export type DossierStatus = (typeof dossierStatuses)[number];
