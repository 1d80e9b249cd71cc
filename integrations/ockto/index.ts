export { createOcktoClient, type OcktoClient, type OcktoClientOptions, type CreateSessionOptions } from './client.js';
export { OcktoError, OcktoErrorType } from './errors.js';
export { answersFromData, missingSections } from './mapping.js';
export { ocktoConfigFromSettings, defaultOcktoPolicy, type OcktoConfig, type OcktoPolicyDefaults, type OcktoSettings } from './config.js';
export * from './types.js';
