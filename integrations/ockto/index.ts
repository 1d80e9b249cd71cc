export { createOcktoClient, type OcktoClient, type OcktoClientOptions, type CreateSessionOptions } from './client.js';
export { OcktoError, OcktoErrorType } from './errors.js';
export { answersFromData, missingSections } from './mapping.js';
export { ocktoConfigFromEnv, defaultOcktoPolicy, OcktoConfigError, type OcktoConfig, type OcktoPolicyDefaults } from './env.js';
export * from './types.js';
