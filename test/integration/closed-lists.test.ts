/**
 * Closed lists are defined once, in domain/ (docs/ARCHITECTURE.md), and everything else follows
 * them: the CHECK constraints of the migrated database, the MikroORM entities (`p.enum`) and the
 * TypeBox schemas of the API. This test reads the real constraints from PostgreSQL after the
 * migrations ran, and fails when
 * - a list and its column's CHECK differ (a value added in code but not in a migration, or back);
 * - a column has an enumerating CHECK that no domain list stands for;
 * - an entity's enum or a schema's literals differ from the list.
 */
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { allRoles } from '../../domain/roles.js';
import { loginNoticeSeverities, userStatuses } from '../../domain/access/lists.js';
import { LoginNoticeSchema, UserSchema } from '../../services/access/users.schemas.js';
import { dossierStatuses } from '../../domain/dossiers/status.js';
import { statusCategories, StatusCategorySchema } from '../../domain/process/definition.js';
import { historyKinds } from '../../domain/products/history.js';
import { checklistItemStatuses, checklistReviews, checklistUploaders, mailStatuses, taskAssignees, taskStatuses, templateKinds } from '../../domain/work/items.js';
import {
  bankFileFormats,
  bankItemKinds,
  bankItemOutcomes,
  billingPeriods,
  bookingKinds,
  bookingSources,
  clientCreditKinds,
  deliveryMethods,
  invoiceStatuses,
  paymentMethods,
  reminderActionTypes,
  reminderModes,
  sequenceTypes,
} from '../../domain/billing/closed-lists.js';
import { BankFileFormatSchema, BankItemKindSchema, BankItemOutcomeSchema, ClientCreditKindSchema, DeliverySchema, InvoiceStatusSchema, PaymentMethodSchema, PeriodSchema, ReminderModeSchema, SequenceTypeSchema } from '../../services/billing/schemas.js';
import { DossierStatusSchema } from '../../services/dossiers/schemas.js';
import { insuranceEventKinds } from '../../domain/insurance/events.js';
import { campaignStatuses, recipientStatuses } from '../../domain/campaigns/campaign.js';
import { appointmentStatuses } from '../../domain/appointments/appointment.js';
import { AppointmentStatusSchema } from '../../services/appointments/schemas.js';
import { inboundMailLinkKinds } from '../../domain/mailbox/closed-lists.js';
import { InboundMailLinkKindSchema } from '../../services/mailbox/schemas.js';
import { identificationDocumentTypes, identificationMethods, notePriorities, propertyTypes, relationTypes } from '../../domain/crm/card.js';
import { contactRoles, organisationKinds, partyRoles } from '../../domain/crm/organisations.js';
import { ContactRoleSchema, OrganisationKindSchema, PartyRoleSchema } from '../../services/crm/organisations.schemas.js';
import { callbackOutcomes, ocktoCollectStatuses, ocktoRetrievalStatuses, riskClassSources, sourceDataVia } from '../../domain/ockto/retrieval.js';
import { riskClasses } from '../../domain/ockto/risk-class.js';
import { personImportFormats, personImportStatuses } from '../../domain/person-import/import.js';
import { uploadContentTypes, uploadStatuses } from '../../domain/uploads/uploads.js';
import { UploadContentTypeSchema, UploadCreatedSchema } from '../../services/uploads/schemas.js';
import { privacyActions } from '../../domain/privacy/audit.js';
import { personFileEventKinds } from '../../domain/person-files/files.js';
import { PersonFileEventSchema } from '../../services/person-files/schemas.js';
import { genders, maritalStatuses, partnershipEndReasons, partnershipKinds } from '../../domain/crm/family.js';
import { riskMessageSources, riskMessageStates } from '../../domain/insurance/risk-messages.js';
import { hdnMessageDirections, hdnMessageStates, hdnMessageTypes } from '../../domain/hdn/message-types.js';
import { HdnInboundAnswerSchema, HdnMessageDirectionSchema, HdnMessageStateSchema, HdnMessageTypeSchema } from '../../services/hdn/schemas.js';
import { TaskQuerySchema } from '../../services/work/schemas.js';
import { repaymentTypes } from '../../domain/selections/query.js';
import { accountKinds, categoryKinds, entryKinds } from '../../domain/ledger/closed-lists.js';
import { payoutStatuses } from '../../domain/ledger/payouts.js';
import { PayoutSchema } from '../../services/ledger/schemas.js';
import { LoanPartFilterSchema } from '../../services/selections/schemas.js';
import { testDatabase, type TestDatabase } from './support.js';

interface ClosedList {
  name: string;
  values: readonly string[];
  /** `table.column` whose CHECK enumerates the list. */
  columns: string[];
  /** TypeBox schemas that must offer exactly these values. */
  schemas?: TSchema[];
}

/** Every closed list with the columns and schemas that follow it. */
const lists: ClosedList[] = [
  { name: 'roles', values: allRoles, columns: ['api_credentials.role'] },
  { name: 'user account statuses', values: userStatuses, columns: ['users.status'], schemas: [UserSchema.properties.status] },
  { name: 'login notice severities', values: loginNoticeSeverities, columns: ['login_notices.severity'], schemas: [LoginNoticeSchema.properties.severity] },
  { name: 'dossier statuses', values: dossierStatuses, columns: ['dossiers.status'], schemas: [DossierStatusSchema] },
  { name: 'status categories', values: statusCategories, columns: ['products.category', 'product_parts.category'], schemas: [StatusCategorySchema] },
  { name: 'product history kinds', values: historyKinds, columns: ['product_history.kind'] },
  { name: 'loan part repayment types', values: repaymentTypes, columns: ['product_parts.repayment_type'], schemas: [LoanPartFilterSchema.properties.repaymentType] },
  { name: 'task statuses', values: taskStatuses, columns: ['tasks.status'], schemas: [TaskQuerySchema.properties.status] },
  { name: 'task assignees', values: taskAssignees, columns: ['tasks.assignee'], schemas: [TaskQuerySchema.properties.assignee] },
  { name: 'mail statuses', values: mailStatuses, columns: ['mails.status'] },
  { name: 'checklist line statuses', values: checklistItemStatuses, columns: ['checklist_items.status'] },
  { name: 'who attached a checklist file', values: checklistUploaders, columns: ['checklist_item_files.uploaded_by'] },
  { name: 'checklist file reviews', values: checklistReviews, columns: ['checklist_item_files.review'] },
  { name: 'template kinds', values: templateKinds, columns: ['templates.kind', 'template_drafts.kind'] },
  { name: 'invoice statuses', values: invoiceStatuses, columns: ['invoices.status'], schemas: [InvoiceStatusSchema] },
  { name: 'billing periods', values: billingPeriods, columns: ['contracts.period'], schemas: [PeriodSchema] },
  { name: 'payment methods', values: paymentMethods, columns: ['contracts.payment_method', 'invoices.payment_method'], schemas: [PaymentMethodSchema] },
  { name: 'delivery methods', values: deliveryMethods, columns: ['contracts.delivery', 'invoices.delivery'], schemas: [DeliverySchema] },
  { name: 'reminder modes', values: reminderModes, columns: ['office_billing_settings.reminder_mode'], schemas: [ReminderModeSchema] },
  { name: 'SEPA sequence types', values: sequenceTypes, columns: ['invoices.sequence_type', 'sepa_export_items.sequence_type'], schemas: [SequenceTypeSchema] },
  { name: 'booking kinds', values: bookingKinds, columns: ['booking_lines.kind'] },
  { name: 'booking sources', values: bookingSources, columns: ['booking_lines.source'] },
  { name: 'client credit movements', values: clientCreditKinds, columns: ['client_credits.kind'], schemas: [ClientCreditKindSchema] },
  { name: 'bank file formats', values: bankFileFormats, columns: ['bank_imports.format'], schemas: [BankFileFormatSchema] },
  { name: 'bank import item kinds', values: bankItemKinds, columns: ['bank_import_items.kind'], schemas: [BankItemKindSchema] },
  { name: 'bank import item outcomes', values: bankItemOutcomes, columns: ['bank_import_items.outcome'], schemas: [BankItemOutcomeSchema] },
  { name: 'reminder action types', values: reminderActionTypes, columns: ['reminder_executions.action_type'] },
  { name: 'RISK event kinds', values: insuranceEventKinds, columns: ['risk_messages.kind', 'insurance_history.kind'] },
  { name: 'RISK message sources', values: riskMessageSources, columns: ['risk_messages.source'] },
  { name: 'RISK message states', values: riskMessageStates, columns: ['risk_messages.state'] },
  { name: 'CRM property types', values: propertyTypes, columns: ['crm_property_definitions.type'] },
  { name: 'CRM relation types', values: relationTypes, columns: ['crm_relations.type'] },
  { name: 'note priorities', values: notePriorities, columns: ['crm_notes.priority'] },
  { name: 'identification methods', values: identificationMethods, columns: ['crm_identifications.method'] },
  { name: 'identification documents', values: identificationDocumentTypes, columns: ['crm_identifications.document_type'] },
  { name: 'organisation kinds', values: organisationKinds, columns: ['organisations.kind'], schemas: [OrganisationKindSchema] },
  { name: 'contact person roles', values: contactRoles, columns: ['crm_organisation_contacts.role'], schemas: [ContactRoleSchema] },
  { name: 'party roles of organisations', values: partyRoles, columns: ['crm_organisation_links.role'], schemas: [PartyRoleSchema] },
  { name: 'campaign statuses', values: campaignStatuses, columns: ['campaigns.status'] },
  { name: 'campaign recipient statuses', values: recipientStatuses, columns: ['campaign_recipients.status'] },
  { name: 'appointment statuses', values: appointmentStatuses, columns: ['appointments.status'], schemas: [AppointmentStatusSchema] },
  { name: 'inbound mail link kinds', values: inboundMailLinkKinds, columns: ['inbound_mail_links.kind'], schemas: [InboundMailLinkKindSchema] },
  { name: 'person import statuses', values: personImportStatuses, columns: ['person_imports.status'] },
  { name: 'upload statuses', values: uploadStatuses, columns: ['uploads.status'], schemas: [UploadCreatedSchema.properties.status] },
  { name: 'upload content types', values: uploadContentTypes, columns: ['uploads.content_type'], schemas: [UploadContentTypeSchema] },
  { name: 'person file event kinds', values: personFileEventKinds, columns: ['person_file_events.kind'], schemas: [PersonFileEventSchema.properties.kind] },
  { name: 'person import formats', values: personImportFormats, columns: ['person_imports.format'] },
  { name: 'privacy actions', values: privacyActions, columns: ['privacy_audit.action'] },
  { name: 'genders', values: genders, columns: ['persons.gender', 'crm_children.gender'] },
  { name: 'marital statuses', values: maritalStatuses, columns: ['persons.marital_status'] },
  { name: 'partnership kinds', values: partnershipKinds, columns: ['crm_partnerships.kind'] },
  { name: 'partnership end reasons', values: partnershipEndReasons, columns: ['crm_partnerships.end_reason'] },
  { name: 'Ockto retrieval statuses', values: ocktoRetrievalStatuses, columns: ['ockto_retrievals.status'] },
  { name: 'Wwft risk classes', values: riskClasses, columns: ['ockto_retrievals.derived_class', 'ockto_retrievals.current_class', 'risk_class_history.from_class', 'risk_class_history.to_class'] },
  { name: 'risk class sources', values: riskClassSources, columns: ['risk_class_history.source'] },
  { name: 'Ockto data arrival', values: sourceDataVia, columns: ['ockto_source_data.received_via'] },
  { name: 'Ockto session statuses of a callback', values: ocktoCollectStatuses, columns: ['ockto_callbacks.status'] },
  { name: 'Ockto callback outcomes', values: callbackOutcomes, columns: ['ockto_callbacks.outcome'] },
  { name: 'ledger account kinds', values: accountKinds, columns: ['ledger_accounts.kind'] },
  { name: 'booking category kinds', values: categoryKinds, columns: ['booking_categories.kind'] },
  { name: 'journal entry kinds', values: entryKinds, columns: ['journal_entries.kind'] },
  { name: 'RC pay-out statuses', values: payoutStatuses, columns: ['rc_payouts.status'], schemas: [PayoutSchema.properties.status] },
  { name: 'HDN message types', values: hdnMessageTypes, columns: ['hdn_messages.type'], schemas: [HdnMessageTypeSchema, HdnInboundAnswerSchema.properties.type] },
  { name: 'HDN message directions', values: hdnMessageDirections, columns: ['hdn_messages.direction'], schemas: [HdnMessageDirectionSchema] },
  { name: 'HDN message states', values: hdnMessageStates, columns: ['hdn_messages.state'], schemas: [HdnMessageStateSchema, HdnInboundAnswerSchema.properties.state] },
];

/** Enumerating CHECKs of columns that are not closed lists of the domain. */
const notClosedLists = new Set<string>([
  // applicant 1 or 2: a position in the dossier, not a kind of anything
  'dossier_applicants.position',
  // the two sides of a bank entry, as camt writes them (CRDT/DBIT): ISO's code, not ours
  'bank_import_items.credit_debit',
]);

let db: TestDatabase;
let orm: MikroORM;
/** `table.column` → the values its CHECK allows. */
const checks = new Map<string, string[]>();

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
  const found = (await orm.em.fork().execute(
    `select c.conrelid::regclass::text as table_name, pg_get_constraintdef(c.oid) as def
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'c' and n.nspname = 'public'`,
  )) as { table_name: string; def: string }[];
  for (const { table_name, def } of found) {
    // CHECK ((status = ANY (ARRAY['open'::text, 'done'::text]))), or an array literal:
    // CHECK ((kind = ANY ('{started,step}'::text[])))
    const array = /\(\(?"?(\w+)"?\)?(?:::text)? = ANY \(\(?ARRAY\[(.*?)\]\)?(?:::text\[\])?\)\)/.exec(def);
    const literal = /\(\(?"?(\w+)"?\)?(?:::text)? = ANY \('\{([^}]*)\}'::text\[\]\)\)/.exec(def);
    const values = array
      ? [...array[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replace(/''/g, "'"))
      : literal
        ? literal[2]!.split(',').map((v) => v.replace(/^"|"$/g, ''))
        : undefined;
    const column = (array ?? literal)?.[1];
    if (values && column) checks.set(`${table_name.replace(/^public\./, '')}.${column}`, values);
  }
});

afterAll(async () => {
  await orm?.close(true);
  await db?.stop();
});

const sorted = (values: readonly string[]) => [...values].sort();

/** The literal values a schema allows (a union of literals, or a string enum). */
function literalsOf(schema: TSchema): string[] {
  const s = schema as { anyOf?: TSchema[]; const?: unknown; enum?: unknown[] };
  if (Array.isArray(s.anyOf)) return s.anyOf.flatMap(literalsOf);
  if (typeof s.const === 'string') return [s.const];
  if (Array.isArray(s.enum)) return s.enum.filter((v): v is string => typeof v === 'string');
  return [];
}

describe('closed lists: one definition in domain/, followed everywhere', () => {
  it('reads the enumerating CHECK constraints of the database', () => {
    expect(checks.size).toBeGreaterThan(20);
    expect(checks.get('dossiers.status')).toBeDefined();
  });

  it.each(lists.map((l) => [l.name, l] as const))('%s: the columns\' CHECKs allow exactly the list', (_name, list) => {
    for (const column of list.columns) {
      expect(checks.has(column), `${column} has no enumerating CHECK`).toBe(true);
      expect(sorted(checks.get(column)!), column).toEqual(sorted(list.values));
    }
  });

  it('has a domain list for every enumerating CHECK', () => {
    const covered = new Set(lists.flatMap((l) => l.columns));
    const uncovered = [...checks.keys()].filter((c) => !covered.has(c) && !notClosedLists.has(c)).sort();
    expect(uncovered).toEqual([]);
  });

  it('makes the entities enumerate the same values as the CHECKs', () => {
    const problems: string[] = [];
    for (const meta of Object.values(orm.getMetadata().getAll())) {
      for (const prop of Object.values(meta.properties)) {
        if (!prop.enum || !Array.isArray(prop.items)) continue;
        const column = `${meta.tableName}.${prop.fieldNames[0] ?? prop.name}`;
        const check = checks.get(column);
        if (!check) {
          problems.push(`${column}: the entity enumerates ${JSON.stringify(prop.items)} but the column has no CHECK`);
        } else if (JSON.stringify(sorted(prop.items as string[])) !== JSON.stringify(sorted(check))) {
          problems.push(`${column}: entity ${JSON.stringify(prop.items)} vs CHECK ${JSON.stringify(check)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(lists.filter((l) => l.schemas).map((l) => [l.name, l] as const))('%s: the API schemas offer exactly the list', (_name, list) => {
    for (const schema of list.schemas!) expect(sorted(literalsOf(schema))).toEqual(sorted(list.values));
  });
});
