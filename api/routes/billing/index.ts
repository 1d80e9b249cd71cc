/**
 * Billing: settings, contracts, invoices and booking lines, SEPA exports, bank imports (and their
 * reconciliation) and the reminder module. The bank import has its own XML-only context (bank-imports.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import bankImportRoutes from './bank-imports.js';
import bankReconciliationRoutes from './bank-reconciliation.js';
import clientCreditRoutes from './client-credits.js';
import contractRoutes from './contracts.js';
import invoiceRoutes from './invoices.js';
import reminderRoutes from './reminders.js';
import sepaExportRoutes from './sepa-exports.js';
import settingsRoutes from './settings.js';

const billingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(settingsRoutes);
  await app.register(contractRoutes);
  await app.register(invoiceRoutes);
  await app.register(sepaExportRoutes);
  await app.register(bankImportRoutes);
  await app.register(bankReconciliationRoutes);
  await app.register(reminderRoutes);
  await app.register(clientCreditRoutes);
};

export default billingRoutes;
