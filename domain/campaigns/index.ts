export * from './campaign.js';
export * from './side-effects.js';
