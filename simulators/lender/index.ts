export { startLenderSimulator, type LenderSimulator, type LenderSimulatorOptions } from './simulator.js';
export { scenarioNames, isScenarioName, type ScenarioName } from './scenarios.js';
export { lenderOptionsFromEnv, LenderConfigError } from './env.js';
export type { ApplicationView, SentMessageView, DocumentLineView, ApplicationStateName } from './state.js';
export type { DeliveryTarget, RetryPolicy } from './delivery.js';
