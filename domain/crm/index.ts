export * from './card.js';
export * from './persons.js';
export * from './person-changes.js';
export * from './organisations.js';
export * from './family.js';
