export * from './risk-class.js';
export * from './retrieval.js';
