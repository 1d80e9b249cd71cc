export * from './events.js';
export * from './premium.js';
export * from './risk-messages.js';
export * from './side-effects.js';
