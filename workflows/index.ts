/** Bundle entry of the worker: every workflow type the platform runs. */
export { productWorkflow } from './products/product.workflow.js';
export { contractWorkflow } from './billing/contract.workflow.js';
export { invoiceWorkflow } from './billing/invoice.workflow.js';
export { invoiceRunWorkflow } from './billing/invoice-run.workflow.js';
export { insuranceWorkflow } from './insurance/insurance.workflow.js';
export { ocktoRetrievalWorkflow } from './ockto/ockto.workflow.js';
export { campaignWorkflow } from './campaigns/campaign.workflow.js';
export { riskPollerWorkflow } from './insurance/risk-poller.workflow.js';
export { appointmentWorkflow } from './appointments/appointment.workflow.js';
export { outboxMailWorkflow } from './work/outbox-mail.workflow.js';
export { mailboxWorkflow } from './mailbox/mailbox.workflow.js';
export { payoutWorkflow } from './ledger/payout.workflow.js';
