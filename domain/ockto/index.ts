export * from './risk-class.js';
