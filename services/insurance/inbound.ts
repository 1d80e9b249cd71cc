/**
 * RISK messages in (webhook and polling share this path). docs/ARCHITECTURE.md rule 4: parsed and
 * checked first through the RISK AFD mapping (AFD 1.0 XML or AFD 2.0 JSON; nothing is stored from
 * a bad payload), checked against RISK's AFD XSD when XSD_DIR_AFD is set (a failing message is
 * stored, then `parked` with the validator's words, never routed), stored once per (office,
 * AL_BERRFNR) with the mapping's notes, acknowledged, then routed:
 *
 * 1. to the product that has this quote/policy number (`insurance_policies.external_ref`);
 * 2. else to the product named by our own reference (AL_ADVREF = the product id of a quote the
 *    adviser requested here), which then gets the number;
 * 3. else to a new insurance product in the dossier of the matched person: by RISK relation
 *    number (learned earlier), or by last name and birth date (exactly one person, exactly one
 *    dossier); product creation is serialised per (office, number), so two first events of one
 *    quote arriving together still make one product;
 * 4. else it waits in the RISK inbox (`waiting`, with the reason) until an adviser matches it.
 *
 * A redelivery answers the first answer again (`duplicate: true`), and is routed again only
 * while it is still `received` (the process engine was down the first time).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { insertProduct } from '../products/store.js';
import {
  adoptPolicyNumber,
  insertInsurancePolicy,
  insertRiskMessageOnce,
  moveRoutableRiskMessage,
  rememberRiskRelation,
  riskMessageColumns,
  type RiskMessageRow,
} from './store.js';
import { insuranceProcessV1 } from '../../domain/processes/insurance.process.js';
import { readRisk, readRiskOffThread, riskMessageSummary, type RiskMessageFormat, type RiskRead } from '../../integrations/risk/codec.js';
import type { RiskAfdMapping } from '../../integrations/risk/afd-mapping.js';
import { xsdVerdict, type XmlParsePool, type XsdFolderValidator } from '../../integrations/xml/index.js';
import { readXmlOffThread, xmlText } from '../shared/xml-reader.js';
import { RiskError, RiskErrorType, type RiskMessage } from '../../integrations/risk/types.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { RiskInboundAnswer } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { RiskMessageSource } from '../../domain/insurance/risk-messages.js';
import { looksLikeUuid, one, rows } from '../../db/sql.js';
import { insuranceWorkflowStart, riskEventOf, signalRiskEvent } from './workflow.js';

export interface RiskContext {
  em: EntityManager;
  temporal: TemporalDeps;
  /**
   * The XML pool messages are parsed in, off the event loop: the webhook always has it. Without
   * it (the poller, which reads what our RISK client fetched) messages are parsed in line.
   */
  xmlPool?: XmlParsePool;
  /** The RISK AFD mapping (RISK_AFD_MAPPING, loaded and checked at start). */
  mapping: RiskAfdMapping;
  /** RISK's AFD XSD folder (XSD_DIR_AFD); absent: no schema check. Applies to XML bodies only. */
  xsd?: XsdFolderValidator;
}

/** The forms a new message may come in: SIVI AFD only (the old <AFD> shape is for stored rows). */
export const inboundRiskFormats: readonly RiskMessageFormat[] = ['afd1-xml', 'afd2-json'];

/** A stored row's body, in any form it was stored in (old rows in the legacy shape included). */
export function readStoredRisk(mapping: RiskAfdMapping, raw: string): RiskMessage {
  return readRisk(raw, mapping).message;
}

/** The message, parsed in the pool when there is one; RiskErrors become refusals. */
async function parseForContext(ctx: RiskContext, body: string | Uint8Array, accept: readonly RiskMessageFormat[]): Promise<RiskRead> {
  const pool = ctx.xmlPool;
  if (!pool) return riskProblemOf(() => readRisk(body, ctx.mapping, { accept }));
  try {
    return await readXmlOffThread(() => readRiskOffThread(pool, body, ctx.mapping, { accept }));
  } catch (err) {
    return riskProblemOf(() => {
      throw err;
    });
  }
}

function riskProblemOf<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RiskError) {
      const extra = { riskErrorType: err.type, ...(err.element !== undefined ? { element: err.element } : {}) };
      if (err.type === RiskErrorType.TooLarge) throw new DomainError('too-large', 'risk-too-large', err.message, extra);
      throw new DomainError('invalid', 'risk-invalid', err.message, extra);
    }
    throw err;
  }
}

export function answerOf(row: RiskMessageRow, duplicate: boolean): RiskInboundAnswer {
  return { id: row.id, state: row.state, duplicate, productId: row.product_id, ...(row.reason !== null ? { reason: row.reason } : {}) };
}

/** Insert-once on (office, message key); a redelivery gets the first row back. */
export async function storeRiskMessage(
  em: EntityManager,
  m: { officeId: string; credentialId: string | null; source: RiskMessageSource; read: Pick<RiskRead, 'message' | 'notes'>; xml: string },
): Promise<{ row: RiskMessageRow; stored: boolean }> {
  const { message } = m.read;
  return insertRiskMessageOnce(em, {
    officeId: m.officeId,
    credentialId: m.credentialId,
    source: m.source,
    messageKey: message.messageId,
    kind: message.kind,
    policyNumber: message.policyNumber,
    version: message.version,
    eventAt: message.eventAt,
    summary: riskMessageSummary(message),
    notes: m.read.notes,
    rawXml: m.xml,
  });
}

/**
 * Webhook / poll entry: parse (nothing stored when it fails), check the XSD, store once, then
 * park (failed the XSD) or route. A redelivery gets the first answer and is not validated again.
 */
export async function receiveRisk(
  ctx: RiskContext,
  who: { officeId: string; credentialId: string | null },
  body: string | Uint8Array,
  source: RiskMessageSource,
  /** The forms this body may be in (the webhook: the one its content type declares). */
  accept: readonly RiskMessageFormat[] = inboundRiskFormats,
): Promise<RiskInboundAnswer> {
  const read = await parseForContext(ctx, body, accept);
  // After the codec (no schema work for a refused body), before storing; an XSD is about XML only.
  // A pool failure here (busy, timeout) is a 503 like the parse's own: nothing was stored yet.
  const xsd = ctx.xsd;
  const schema = read.format === 'afd1-xml' && xsd ? xsdVerdict(await readXmlOffThread(() => xsd.validate(body))) : xsdVerdict(undefined);
  const { row, stored } = await storeRiskMessage(ctx.em, { ...who, source, read, xml: xmlText(body) });
  if (stored && schema.action === 'park') {
    return answerOf(await moveRoutableRiskMessage(ctx.em, row.id, { state: 'parked', reason: schema.reason }), false);
  }
  if (row.state !== 'received') return answerOf(row, !stored);
  return answerOf(await routeRisk(ctx, row, read.message), !stored);
}

/** `declared`: the body's content type (XML = AFD 1.0, JSON = AFD 2.0); a body in the other form is refused. */
export async function receiveWebhook(ctx: RiskContext, principal: Principal, body: string | Uint8Array, declared: 'xml' | 'json' = 'xml'): Promise<RiskInboundAnswer> {
  return receiveRisk(ctx, { officeId: principal.officeId, credentialId: principal.credentialId }, body, 'webhook', [declared === 'json' ? 'afd2-json' : 'afd1-xml']);
}

async function productOfReference(em: EntityManager, officeId: string, m: RiskMessage): Promise<string | undefined> {
  const byNumber = await one<{ product_id: string }>(em, 'select product_id from insurance_policies where office_id = ? and external_ref = ?', [officeId, m.policyNumber]);
  if (byNumber) return byNumber.product_id;
  if (m.adviserReference && looksLikeUuid(m.adviserReference)) {
    // Our own quote request, before (or while) its answer stored the number: adopt the number.
    const adopted = await adoptPolicyNumber(em, officeId, m.adviserReference, m.policyNumber);
    if (adopted) return adopted;
    const again = await one<{ product_id: string }>(em, 'select product_id from insurance_policies where office_id = ? and external_ref = ?', [officeId, m.policyNumber]);
    if (again) return again.product_id;
  }
  return undefined;
}

interface Match {
  dossierId: string;
  personId: string;
}

/** Automatic match of the policyholder to one person in one dossier, or the reason why not. */
async function matchPerson(em: EntityManager, officeId: string, m: RiskMessage): Promise<Match | string> {
  let personIds: string[] = [];
  if (m.relation.relationNumber) {
    const known = await one<{ person_id: string }>(em, 'select person_id from risk_relations where office_id = ? and relation_number = ?', [officeId, m.relation.relationNumber]);
    if (known) personIds = [known.person_id];
  }
  if (personIds.length === 0) {
    const found = await rows<{ id: string }>(
      em,
      'select id from persons where office_id = ? and lower(last_name) = lower(?) and birth_date = ? limit 3',
      [officeId, m.relation.lastName.trim(), m.relation.birthDate],
    );
    personIds = found.map((r) => r.id);
  }
  if (personIds.length === 0) return 'geen persoon met dit relatienummer, of met deze achternaam en geboortedatum';
  if (personIds.length > 1) return 'meer dan één persoon heeft deze achternaam en geboortedatum';
  const personId = personIds[0]!;
  const dossiers = await rows<{ dossier_id: string }>(em, 'select dossier_id from dossier_applicants where person_id = ? limit 2', [personId]);
  if (dossiers.length !== 1) return dossiers.length === 0 ? 'de gevonden persoon heeft geen dossier' : 'de gevonden persoon staat in meer dan één dossier';
  return { dossierId: dossiers[0]!.dossier_id, personId };
}

/**
 * The insurance product for a RISK number in a dossier, created once: an advisory lock on
 * (office, number) serialises concurrent first events; the unique (office, external_ref) is the
 * backstop. Product, parts-to-come and policy are one transaction: nothing half-made.
 */
export async function ensurePolicyProduct(em: EntityManager, officeId: string, match: Match, m: RiskMessage): Promise<string> {
  return em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`risk:${officeId}:${m.policyNumber}`]);
    const existing = await one<{ product_id: string }>(tem, 'select product_id from insurance_policies where office_id = ? and external_ref = ?', [officeId, m.policyNumber]);
    if (existing) return existing.product_id;
    const def = await one<{ key: string; version: number }>(tem, `select key, version from process_definitions where product_type = 'insurance' order by version desc limit 1`);
    if (!def) throw new DomainError('unprocessable', 'no-published-process', 'No published process definition for product type "insurance"');
    const initial = insuranceProcessV1.statuses.find((s) => s.code === insuranceProcessV1.initialStatus)!;
    const productId = newId();
    await insertProduct(tem, {
      id: productId,
      officeId,
      dossierId: match.dossierId,
      type: 'insurance',
      company: m.insurerCode,
      processKey: def.key,
      processVersion: def.version,
      status: initial.code,
      category: initial.category,
      workflowId: workflowIds.insurance(productId),
      parts: [],
      partsFollowProduct: false,
    });
    await insertInsurancePolicy(tem, {
      productId,
      officeId,
      dossierId: match.dossierId,
      personId: match.personId,
      externalRef: m.policyNumber,
      branch: m.branch,
      insurerCode: m.insurerCode,
      startDate: null,
      requestedCoverages: [],
    });
    if (m.relation.relationNumber) await rememberRiskRelation(tem, officeId, m.relation.relationNumber, match.personId);
    return productId;
  });
}

async function deliver(ctx: RiskContext, row: RiskMessageRow, message: RiskMessage, productId: string, whenUnavailable: string): Promise<RiskMessageRow> {
  const start = await insuranceWorkflowStart(ctx.em, productId);
  const outcome = await signalRiskEvent(ctx.temporal, start, riskEventOf(row.id, message), whenUnavailable);
  return outcome === 'delivered'
    ? moveRoutableRiskMessage(ctx.em, row.id, { state: 'delivered', reason: null, productId })
    : moveRoutableRiskMessage(ctx.em, row.id, { state: 'recorded', reason: 'het proces van het product is beëindigd', productId });
}

export async function routeRisk(ctx: RiskContext, row: RiskMessageRow, message: RiskMessage): Promise<RiskMessageRow> {
  let productId = await productOfReference(ctx.em, row.office_id, message);
  if (!productId) {
    const match = await matchPerson(ctx.em, row.office_id, message);
    if (typeof match === 'string') return moveRoutableRiskMessage(ctx.em, row.id, { state: 'waiting', reason: `Geen dossier gevonden: ${match}` });
    productId = await ensurePolicyProduct(ctx.em, row.office_id, match, message);
  }
  return deliver(ctx, row, message, productId, `Message ${row.id} is stored; it is delivered when RISK sends it again`);
}

/** POST /risk/messages/:id/match: an adviser completes the match of a waiting message. */
export async function matchByHand(ctx: RiskContext, principal: Principal, messageId: string, body: { dossierId: string; personId?: string | undefined }): Promise<RiskInboundAnswer> {
  const { officeId } = principal;
  const row = looksLikeUuid(messageId)
    ? await one<RiskMessageRow & { raw_xml: string }>(ctx.em, `select ${riskMessageColumns}, raw_xml from risk_messages where office_id = ? and id = ?`, [officeId, messageId])
    : undefined;
  if (!row) throw refuse.notFound('RISK message', messageId);
  if (row.state !== 'waiting') throw refuse.conflict('not-waiting', `Message ${messageId} is ${row.state}; only waiting messages are matched by hand`);
  if (!looksLikeUuid(body.dossierId)) throw refuse.notFound('Dossier', body.dossierId);
  const applicants = await rows<{ person_id: string }>(
    ctx.em,
    'select a.person_id from dossier_applicants a join dossiers d on d.id = a.dossier_id where d.office_id = ? and d.id = ? order by a.position',
    [officeId, body.dossierId],
  );
  if (applicants.length === 0) throw refuse.notFound('Dossier', body.dossierId);
  const personId = body.personId ?? applicants[0]!.person_id;
  if (!applicants.some((a) => a.person_id === personId)) {
    throw refuse.conflict('not-an-applicant', `Person ${personId} is not an applicant of dossier ${body.dossierId}`);
  }
  const message = readStoredRisk(ctx.mapping, row.raw_xml);
  const existing = await productOfReference(ctx.em, officeId, message);
  if (existing) {
    const owner = await one<{ dossier_id: string }>(ctx.em, 'select dossier_id from insurance_policies where product_id = ?', [existing]);
    if (owner && owner.dossier_id !== body.dossierId) {
      throw refuse.conflict('policy-in-other-dossier', `Policy ${message.policyNumber} already belongs to a product in dossier ${owner.dossier_id}`);
    }
  }
  const productId = existing ?? (await ensurePolicyProduct(ctx.em, officeId, { dossierId: body.dossierId, personId }, message));
  if (message.relation.relationNumber) await rememberRiskRelation(ctx.em, officeId, message.relation.relationNumber, personId);
  const after = await deliver(ctx, row, message, productId, `Message ${messageId} stays waiting; match it again when the process engine is back`);
  return answerOf(after, false);
}
