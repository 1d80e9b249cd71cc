export { startRiskSimulator, riskScenarioNames, isRiskScenarioName, type RiskSimulator, type RiskSimulatorOptions, type RiskScenarioName, type SimulatedQuote } from './simulator.js';
export { simulatedAfdDefinition, writeSimAfd1, writeSimAfd2Json, readSimQuoteRequest, type SimMessage, type SimQuoteRequest } from './afd-writer.js';
