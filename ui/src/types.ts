/** The shapes of the API answers the UI reads (a subset of the OpenAPI schemas, api/schemas). */
export type Category = 'new' | 'running' | 'ended' | string;

export interface Address {
  street: string;
  houseNumber: number;
  houseNumberSuffix: string | null;
  postcode: string;
  city: string;
}

export interface Person {
  id: string;
  firstName: string;
  infix: string | null;
  lastName: string;
  name: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  createdAt: string;
}

export interface DuplicateSuggestion {
  id: string;
  name: string;
  birthDate: string | null;
  email: string | null;
  postcode: string | null;
  houseNumber: number | null;
  reasons: string[];
}

export interface DossierSummary {
  id: string;
  number: string;
  status: 'prospect' | 'client';
  applicants: { position: number; personId: string; name: string; email: string | null }[];
  createdAt: string;
}

export interface DocumentSummary {
  id: string;
  productId: string | null;
  documentType: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  createdAt: string;
  href: string;
}

export interface Task {
  id: string;
  dossierId: string;
  productId: string | null;
  title: string;
  assignee: string;
  dueDate: string | null;
  status: string;
  createdAt: string;
  completedAt: string | null;
}

export interface Mail {
  id: string;
  template: string;
  toAddress: string;
  subject: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

export interface DossierProduct {
  id: string;
  type: string;
  company: string | null;
  status: string;
  statusLabel: string;
  category: Category;
  processKey: string;
  processVersion: number;
  createdAt: string;
}

export interface Dossier {
  id: string;
  number: string;
  status: 'prospect' | 'client';
  applicants: { position: number; person: Person }[];
  products: DossierProduct[];
  documents: DocumentSummary[];
  tasks: Task[];
  mails: Mail[];
  history: { at: string; actor: string; kind: string; fromStatus: string | null; toStatus: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface StepInputField {
  name: string;
  label: string;
  type: 'boolean' | 'date' | 'choice' | 'integer' | 'text' | string;
  required: boolean;
  choices?: string[];
}

export interface AvailableStep {
  id: string;
  label: string;
  to: string | null;
  input: StepInputField[];
}

export interface ProductPart {
  id: string;
  number: number;
  description: string;
  status: string;
  statusLabel: string;
  category: Category;
}

export interface ProductHistoryEntry {
  seq: number;
  at: string;
  actor: string;
  kind: string;
  stepId: string | null;
  label: string;
  fromStatus: string;
  toStatus: string;
}

export interface Product {
  id: string;
  dossierId: string;
  type: string;
  company: string | null;
  status: string;
  statusLabel: string;
  category: Category;
  processKey: string;
  processVersion: number;
  parts: ProductPart[];
  availableSteps: AvailableStep[];
  history: ProductHistoryEntry[];
  contract: { nextInvoiceDate: string | null; amountCents: number; period: string; status: string } | null;
}

export interface HdnMessage {
  id: string;
  direction: 'in' | 'out';
  type: string;
  state: string;
  reason: string | null;
  summary: string;
  senderNode: string;
  receiverNode: string;
  applicationNumber: string;
  applicationVersion: number;
  statusCode: string | null;
  productId: string | null;
  receivedAt: string;
  processedAt: string | null;
  rawXml?: string;
}

export interface Invoice {
  id: string;
  number: string;
  status: string;
  dossierId: string;
  productId: string | null;
  invoiceDate: string;
  dueDate: string;
  totalCents: number;
  costsCents: number;
  paidCents: number;
  openCents: number;
  paymentMethod: string;
  delivery: string;
}

export interface Booking {
  id: string;
  kind: string;
  amountCents: number;
  reasonCode: string | null;
  bookedOn: string;
  source: string;
  note: string | null;
}

export interface InvoiceDetail extends Invoice {
  lines: { position: number; description: string; netCents: number; vatRate: number; vatCents: number }[];
  bookingLines: Booking[];
  reminderExecutions: { id: string; actionName: string; statusAfter: string; createdAt: string }[];
  pdfDocumentId: string | null;
}

export interface ActionGroup {
  id: string;
  name: string;
  actions: Record<string, unknown>[];
  isDefault: boolean;
}

export interface ReminderRun {
  id: string;
  actionGroupId: string;
  actionIndex: number;
  filter: Record<string, unknown>;
  invoices: number;
  results: { invoiceId: string; ok: boolean; statusAfter?: string; reason?: string }[];
  createdBy: string;
  createdAt: string;
  processedAt: string | null;
}

export interface DefinitionSummary {
  key: string;
  version: number;
  name: string;
  productType: string;
  publishedAt: string;
}

export interface VersionSummary extends DefinitionSummary {
  products: number;
}

export interface ProcessDefinition {
  key: string;
  version: number;
  name: string;
  productType: string;
  initialStatus: string;
  statuses: { code: string; label: string; category: Category }[];
  steps: { id: string; label: string; from: string[]; to?: string; input?: StepInputField[]; guard?: Record<string, unknown> }[];
  lenderStatuses?: { code: string; status: string }[];
}

export interface ProcessDraft {
  key: string;
  baseVersion: number | null;
  nextVersion: number;
  updatedAt: string;
  validation: { ok: boolean; problems: { path: string; message: string }[]; warnings: { path: string; message: string }[] };
}

/** Selections (query manager): api/schemas/selections.ts. */
export interface ProductFilter {
  type: string;
  company?: string;
  status?: string;
  category?: 'new' | 'running' | 'ended';
  branch?: string;
}

export interface SelectionQuery {
  withProducts?: ProductFilter[];
  withoutProducts?: ProductFilter[];
  productType?: string;
  company?: string;
  offerStatus?: 'requested' | 'received' | 'accepted' | 'rejected';
  dossierStatus?: 'prospect' | 'client';
  dateFrom?: string;
  dateTo?: string;
  dateOn?: 'dossier' | 'product';
  includeOlderDossiers?: boolean;
}

export interface SelectionRow {
  personId: string;
  name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  mailOptOut: boolean;
  dossierId: string;
  dossierNumber: string;
  dossierStatus: string;
  dossierCreatedAt: string;
}

export interface SavedSelection {
  id: string;
  name: string;
  query: SelectionQuery;
  createdAt: string;
}

/** Mail campaigns: api/schemas/campaigns.ts. */
export interface Campaign {
  id: string;
  name: string;
  template: string;
  query: SelectionQuery;
  status: 'running' | 'paused' | 'cancelled' | 'completed' | string;
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
  pending: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignRecipient {
  position: number;
  personId: string;
  name: string;
  dossierId: string | null;
  status: string;
  reason: string | null;
  updatedAt: string;
}
