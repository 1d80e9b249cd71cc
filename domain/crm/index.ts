export * from './card.js';
export * from './persons.js';
