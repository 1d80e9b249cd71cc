/** Shared schemas registered once with `fastify.addSchema`; routes point at them with `ref()`. */
import type { FastifyInstance } from 'fastify';
import { ProcessDefinitionSchema } from '../../domain/process/definition.js';
import { ProblemSchema } from './common.js';
import {
  AddressSchema,
  DuplicateProblemSchema,
  DuplicateSuggestionSchema,
  PersonInputSchema,
  PersonSchema,
} from './persons.js';
import { ApplicantInputSchema, DossierCreateSchema, DossierSchema, DossierSummarySchema } from './dossiers.js';
import {
  HdnConvertRequestSchema,
  HdnConvertResultSchema,
  HdnInboundAnswerSchema,
  HdnMessageDetailSchema,
  HdnRouteRequestSchema,
} from './hdn.js';
import {
  ActionGroupInputSchema,
  ActionGroupSchema,
  BankImportResultSchema,
  BillingSettingsSchema,
  BillingSettingsUpdateSchema,
  BookingCreateSchema,
  BookingPatchSchema,
  BookingSchema,
  ContractCreateSchema,
  ContractPatchSchema,
  ContractSchema,
  InvoiceSchema,
  ReminderRunCreateSchema,
  ReminderRunSchema,
  SepaExportCreateSchema,
  SepaExportResultSchema,
} from './billing.js';
import { OcktoCallbackSchema, OcktoRetrievalCreateSchema, OcktoRetrievalSchema, RiskClassChangeSchema } from './ockto.js';
import { AnonymiseResultSchema } from './privacy.js';
import { SavedSelectionSchema, SelectionQuerySchema, SelectionRowSchema } from './selections.js';
import { AvailableStepSchema, ProductCreateSchema, ProductPartSchema, ProductSchema, StepRequestSchema } from './products.js';

export const sharedSchemas = [
  OcktoRetrievalCreateSchema,
  OcktoRetrievalSchema,
  RiskClassChangeSchema,
  OcktoCallbackSchema,
  ProblemSchema,
  AddressSchema,
  PersonInputSchema,
  PersonSchema,
  DuplicateSuggestionSchema,
  DuplicateProblemSchema,
  ApplicantInputSchema,
  DossierCreateSchema,
  DossierSummarySchema,
  DossierSchema,
  ProductCreateSchema,
  ProductPartSchema,
  AvailableStepSchema,
  ProductSchema,
  StepRequestSchema,
  ProcessDefinitionSchema,
  HdnInboundAnswerSchema,
  HdnMessageDetailSchema,
  HdnConvertRequestSchema,
  HdnConvertResultSchema,
  HdnRouteRequestSchema,
  BillingSettingsSchema,
  BillingSettingsUpdateSchema,
  ContractCreateSchema,
  ContractPatchSchema,
  ContractSchema,
  BookingSchema,
  BookingCreateSchema,
  BookingPatchSchema,
  InvoiceSchema,
  SepaExportCreateSchema,
  SepaExportResultSchema,
  BankImportResultSchema,
  ActionGroupInputSchema,
  ActionGroupSchema,
  ReminderRunCreateSchema,
  ReminderRunSchema,
  AnonymiseResultSchema,
  SelectionQuerySchema,
  SelectionRowSchema,
  SavedSelectionSchema,
];

export function registerSharedSchemas(app: FastifyInstance): void {
  for (const schema of sharedSchemas) app.addSchema(schema);
}
