/** Shared schemas registered once with `fastify.addSchema`; routes point at them with `ref()`. */
import type { FastifyInstance } from 'fastify';
import { ProcessDefinitionSchema } from '../../domain/process/definition.js';
import { ProblemSchema } from '../../services/shared/schemas.js';
import {
  AddressSchema,
  DuplicateProblemSchema,
  DuplicateSuggestionSchema,
  PersonEditProblemSchema,
  PersonFieldHistoryLineSchema,
  PersonInputSchema,
  PersonPatchSchema,
  PersonSchema,
} from '../../services/crm/persons.schemas.js';
import { OrganisationProblemSchema } from '../../services/crm/organisations.schemas.js';
import { ApplicantInputSchema, DossierCreateSchema, DossierPatchSchema, DossierSchema, DossierSummarySchema } from '../../services/dossiers/schemas.js';
import {
  HdnConvertRequestSchema,
  HdnConvertResultSchema,
  HdnInboundAnswerSchema,
  HdnMessageDetailSchema,
  HdnRouteRequestSchema,
} from '../../services/hdn/schemas.js';
import {
  ActionGroupInputSchema,
  ActionGroupSchema,
  BankImportDetailSchema,
  BankImportItemSchema,
  BankImportResultSchema,
  BankImportSummarySchema,
  BankItemMatchSchema,
  BillingSettingsSchema,
  BillingSettingsUpdateSchema,
  BookingCreateSchema,
  BookingPatchSchema,
  BookingSchema,
  ClientCreditOffsetSchema,
  ClientCreditRefundSchema,
  ClientCreditSchema,
  ContractCreateSchema,
  ContractPatchSchema,
  ContractSchema,
  InvoiceSchema,
  ReminderRunCreateSchema,
  ReminderRunSchema,
  SepaExportCreateSchema,
  SepaExportResultSchema,
} from '../../services/billing/schemas.js';
import { OcktoCallbackSchema, OcktoRetrievalCreateSchema, OcktoRetrievalSchema, PersonRiskClassSetSchema, PersonRiskSchema, RiskClassChangeSchema } from '../../services/ockto/schemas.js';
import { AnonymiseResultSchema } from '../../services/privacy/schemas.js';
import { SavedSelectionSchema, SelectionQuerySchema, SelectionRowSchema } from '../../services/selections/schemas.js';
import { LiveEventSchema } from '../../services/live/schemas.js';
import { AvailableStepSchema, ProductCreateSchema, ProductPartSchema, ProductSchema, StepRequestSchema } from '../../services/products/schemas.js';

export const sharedSchemas = [
  LiveEventSchema,
  OcktoRetrievalCreateSchema,
  OcktoRetrievalSchema,
  RiskClassChangeSchema,
  PersonRiskClassSetSchema,
  PersonRiskSchema,
  OcktoCallbackSchema,
  ProblemSchema,
  AddressSchema,
  PersonInputSchema,
  PersonSchema,
  PersonPatchSchema,
  PersonFieldHistoryLineSchema,
  DuplicateSuggestionSchema,
  DuplicateProblemSchema,
  PersonEditProblemSchema,
  OrganisationProblemSchema,
  ApplicantInputSchema,
  DossierCreateSchema,
  DossierPatchSchema,
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
  BankImportSummarySchema,
  BankImportItemSchema,
  BankImportDetailSchema,
  BankItemMatchSchema,
  ActionGroupInputSchema,
  ActionGroupSchema,
  ReminderRunCreateSchema,
  ReminderRunSchema,
  ClientCreditSchema,
  ClientCreditRefundSchema,
  ClientCreditOffsetSchema,
  AnonymiseResultSchema,
  SelectionQuerySchema,
  SelectionRowSchema,
  SavedSelectionSchema,
];

export function registerSharedSchemas(app: FastifyInstance): void {
  for (const schema of sharedSchemas) app.addSchema(schema);
}
