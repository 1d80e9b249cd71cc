export { startOcktoSimulator, type OcktoSimulator, type OcktoSimulatorOptions, type OcktoSessionView } from './simulator.js';
export { ocktoScenarioNames, isOcktoScenarioName, outcomeOf, type OcktoScenarioName } from './scenarios.js';
