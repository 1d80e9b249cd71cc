export * from './events.js';
export * from './premium.js';
