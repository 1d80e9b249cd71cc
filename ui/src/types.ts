/**
 * The shapes of the API the UI reads and sends, all derived from the OpenAPI document
 * (`ui/src/generated/api.d.ts`, made by `npm run generate:api-types` from the route schemas in
 * api/; never committed, never edited). Nothing here is written by hand: a named component
 * schema is taken as it is, a shape that is inline in the document is taken from its path.
 * test/unit/openapi-ui-types.test.ts fails when an API payload is copied by hand into ui/src.
 */
import type { components, paths } from './generated/api';

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body of the success answer (200, 201 or 202) of `method path`. */
export type ApiResponse<P extends keyof paths, M extends Method = 'get'> = NonNullable<paths[P][M]> extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : R extends { 202: { content: { 'application/json': infer B } } }
        ? B
        : never
  : never;

/** The JSON request body of `method path`. */
export type ApiRequestBody<P extends keyof paths, M extends Method = 'post'> = NonNullable<paths[P][M]> extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** One element of an array type. */
type Item<A> = A extends readonly (infer T)[] ? T : never;

export type Category = Schemas['StatusCategory'];

export type Address = Schemas['Address'];
export type Person = Schemas['Person'];
export type PersonInput = Schemas['PersonInput'];
export type ApplicantInput = Schemas['ApplicantInput'];
export type DuplicateSuggestion = Schemas['DuplicateSuggestion'];
/** The 409 answer of `POST /dossiers` when an applicant may already exist. */
export type DuplicateProblem = Schemas['DuplicateProblem'];
/** The 409 answer of an edit of a person (`possible-duplicate` or `edited-meanwhile`). */
export type PersonEditProblem = Schemas['PersonEditProblem'];
/** Any problem+json answer; `errors` names the fields of a 400. */
export type Problem = Schemas['Problem'];

export type DossierSummary = Schemas['DossierSummary'];
export type Dossier = Schemas['Dossier'];
export type DossierProduct = Item<Dossier['products']>;
export type DocumentSummary = Item<Dossier['documents']>;
export type Mail = Item<Dossier['mails']>;
export type Task = Item<ApiResponse<'/tasks'>['items']>;

export type Product = Schemas['Product'];
export type ProductPart = Schemas['ProductPart'];
export type AvailableStep = Schemas['AvailableStep'];
export type StepInputField = Item<AvailableStep['input']>;
export type ProductHistoryEntry = Item<Product['history']>;

/** An HDN message in a list (inbox, a product's messages): without its XML. */
export type HdnMessageSummary = Item<ApiResponse<'/hdn/inbox'>['items']>;
/** One HDN message with its XML. */
export type HdnMessageDetail = Schemas['HdnMessageDetail'];

/** An invoice in a list (`GET /invoices`). */
export type InvoiceListItem = Item<ApiResponse<'/invoices'>['items']>;
/** One invoice with its lines, booking lines and reminders (`GET /invoices/{id}`). */
export type Invoice = Schemas['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type PaymentMethod = Invoice['paymentMethod'];
export type Delivery = Invoice['delivery'];
export type Booking = Schemas['Booking'];
export type ActionGroup = Schemas['ActionGroup'];
export type ReminderRun = Schemas['ReminderRun'];

export type ProcessDefinition = Schemas['ProcessDefinition'];
export type DefinitionSummary = Item<ApiResponse<'/process-definitions'>['items']>;
export type VersionSummary = Item<ApiResponse<'/process-definitions/{key}/versions'>['items']>;
export type ProcessDraft = ApiResponse<'/process-drafts/{key}'>;

/** Selections (query manager). */
export type SelectionQuery = Schemas['SelectionQuery'];
export type ProductFilter = Item<NonNullable<SelectionQuery['withProducts']>>;
export type SelectionRow = Schemas['SelectionRow'];
export type SavedSelection = Schemas['SavedSelection'];

/** Mail campaigns. */
export type Campaign = Item<ApiResponse<'/campaigns'>['items']>;
export type CampaignRecipient = Item<ApiResponse<'/campaigns/{id}'>['recipients']['items']>;

/** A person's Wwft risk class (*risicoclassificatie*) with its history; the manual setting's body. */
export type PersonRisk = Schemas['PersonRisk'];
export type RiskHistoryEntry = Item<PersonRisk['history']>;
export type RiskClass = Schemas['PersonRiskClassSet']['class'];
export type PersonRiskClassSet = Schemas['PersonRiskClassSet'];

/** One event of the live stream (`GET /events`): what changed, ids only. */
export type LiveEvent = Schemas['LiveEvent'];

/** A pay-out of a participant's RC balance (*uitbetaling*) and its status. */
export type Payout = ApiResponse<'/rc/payouts'>['items'][number];
export type PayoutStatus = Payout['status'];
/** A period of the RC overviews: year, Q1..Q4, M01..M12. */
export type RcPeriod = ApiResponse<'/rc/overview'>['period'];
