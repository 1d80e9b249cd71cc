/** Closed lists of inbound mail (migrations add CHECKs with the same values). */

/** How a mail came to be linked to a person: by its From address when it was stored, or by an adviser's hand. */
export const inboundMailLinkKinds = ['address', 'hand'] as const;
export type InboundMailLinkKind = (typeof inboundMailLinkKinds)[number];
