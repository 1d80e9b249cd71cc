/** Bundle entry of the worker: every workflow type the platform runs. */
export { productWorkflow } from './product/product.workflow.js';
export { contractWorkflow } from './billing/contract.workflow.js';
export { invoiceWorkflow } from './billing/invoice.workflow.js';
