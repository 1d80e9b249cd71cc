export { startRiskSimulator, riskScenarioNames, isRiskScenarioName, type RiskSimulator, type RiskSimulatorOptions, type RiskScenarioName, type SimulatedQuote } from './simulator.js';
