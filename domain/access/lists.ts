/** The closed lists of office users' accounts and login notices (the database CHECKs follow them). */

/** An account's status: invited (*uitgenodigd*, no password yet), active (*actief*), disabled (*geblokkeerd*). */
export const userStatuses = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** A login notice's kind: info (*mededeling*), maintenance (*gepland onderhoud*), outage (*storing*). */
export const loginNoticeSeverities = ['info', 'maintenance', 'outage'] as const;
export type LoginNoticeSeverity = (typeof loginNoticeSeverities)[number];
