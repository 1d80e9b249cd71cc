export { startBankSimulator, type BankSimulator, type BankSimulatorOptions } from './simulator.js';
export { parseReturnRules, returnReasonFor, type ReturnRule } from './returns.js';
export type { Batch, BatchTransaction } from './statement.js';
