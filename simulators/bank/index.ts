export { startBankSimulator, type BankSimulator, type BankSimulatorOptions } from './simulator.js';
export {
  defaultReporting,
  parseReporting,
  parseReturnRules,
  returnReasonFor,
  returnRuleFor,
  type BankReporting,
  type ReturnRule,
} from './returns.js';
export type { Batch, BatchPaymentInfo, BatchTransaction, DeliveryKind } from './statement.js';
