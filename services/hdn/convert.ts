/**
 * Converting a stored AX into a mortgage product (POST /hdn/messages/:id/convert).
 *
 * One transaction: applicants → persons (matched, filled in, or created; never duplicated),
 * the dossier (given, found with exactly these applicants, or new), the product with one part
 * per loan part, the `hdn_applications` link and the message state 'converted'. After commit
 * the product process is started. Converting again answers the same product (200).
 *
 * A new AX version for an application that is already a product (same office and
 * AanvraagVolgNr) makes no second product: the application row moves to the newer version
 * and source message, and the message is linked to the existing product. Its applicants are
 * not matched again (the persons were settled by the first version).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertProduct, type NewPart } from '../products/store.js';
import { newId } from '../../db/ids.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { statusOf } from '../../domain/process/rules.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { HdnConvertRequest, HdnConvertResult } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { getDefinition } from '../process/definitions.js';
import { createDossier, requireDossier } from '../dossiers/dossiers.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { one, rows } from '../../db/sql.js';
import { personsOfApplicants, type ApplicantPerson } from './applicants.js';
import { loanPartRows } from './loan-parts.js';
import {
  applicationOfNumber,
  insertApplication,
  lenderCodes,
  lenderNameOf,
  lockOfficeMessage,
  markConverted,
  moveApplicationToVersion,
  type ApplicationRow,
  type MessageRowWithXml,
} from './store.js';
import { ensureProductWorkflow, productWorkflowStart } from './workflow.js';

/** The process key of mortgage products (domain/processes/mortgage.process.ts). */
const MORTGAGE_PROCESS = 'mortgage';

export interface ConvertOutcome {
  result: HdnConvertResult;
  /** true when this call made the product (201), false when it already existed (200). */
  created: boolean;
}

async function lockMessage(em: EntityManager, officeId: string, id: string): Promise<MessageRowWithXml> {
  const row = await lockOfficeMessage(em, officeId, id);
  if (!row) throw refuse.notFound('HDN message', id);
  if (row.type !== 'AX' || row.direction !== 'in') {
    throw refuse.conflict('not-an-application', `Message ${id} is a${row.direction === 'out' ? 'n outbound' : ''} ${row.type}; only a received AX can be converted`);
  }
  return row;
}

function parseStoredApplication(row: MessageRowWithXml): HdnApplication {
  // It was parsed when it arrived; either shape (legacy <HDN> or public) is read by the one entry point.
  const parsed = readHdnMessage(row.raw_xml);
  if (parsed.type !== 'AX') throw new Error(`hdn message ${row.id} is stored as AX but parses as ${parsed.type}`);
  return parsed;
}

async function dossierOfProduct(em: EntityManager, productId: string): Promise<{ dossierId: string; personIds: string[] }> {
  const found = await rows<{ dossier_id: string; person_id: string }>(
    em,
    `select p.dossier_id, a.person_id from products p join dossier_applicants a on a.dossier_id = p.dossier_id
     where p.id = ? order by a.position`,
    [productId],
  );
  const dossierId = found[0]?.dossier_id;
  if (!dossierId) throw new Error(`product ${productId} has no dossier with applicants`);
  return { dossierId, personIds: found.map((r) => r.person_id) };
}

async function alreadyConverted(em: EntityManager, productId: string): Promise<HdnConvertResult> {
  const { dossierId, personIds } = await dossierOfProduct(em, productId);
  return { productId, dossierId, personIds, createdPersons: [], matchedPersons: [], alreadyConverted: true };
}

/** The lender the AX names (*OntvangerCode*): its code and name; refused when it is not known. */
async function lenderOf(em: EntityManager, code: string | undefined): Promise<{ code: string; name: string }> {
  if (code) {
    const name = await lenderNameOf(em, code);
    if (name !== undefined) return { code, name };
  }
  const list = (await lenderCodes(em, 50)).join(', ') || 'none';
  const what = code ? `unknown lender code ${code}` : 'the AX names no lender (OntvangerCode)';
  throw new DomainError('unprocessable', 'unknown-lender', `${what}; known: ${list}`);
}

async function latestMortgageDefinition(em: EntityManager): Promise<ProcessDefinition> {
  const latest = await one<{ version: number }>(
    em,
    'select version from process_definitions where key = ? order by version desc limit 1',
    [MORTGAGE_PROCESS],
  );
  const def = latest ? await getDefinition(em, MORTGAGE_PROCESS, Number(latest.version)) : undefined;
  if (!def) throw new DomainError('unprocessable', 'no-published-process', `No published process definition "${MORTGAGE_PROCESS}"`);
  return def;
}

/** The oldest dossier of the office whose applicants are exactly these persons. */
async function dossierWithExactly(em: EntityManager, officeId: string, personIds: string[]): Promise<string | undefined> {
  const marks = personIds.map(() => '?').join(', ');
  const found = await one<{ id: string }>(
    em,
    `select d.id from dossiers d
     where d.office_id = ?
       and (select count(*) from dossier_applicants a where a.dossier_id = d.id) = ?
       and not exists (select 1 from dossier_applicants a where a.dossier_id = d.id and a.person_id not in (${marks}))
     order by d.created_at, d.id limit 1`,
    [officeId, personIds.length, ...personIds],
  );
  return found?.id;
}

async function chooseDossier(
  em: EntityManager,
  principal: Principal,
  personIds: string[],
  requested: string | undefined,
): Promise<string> {
  if (requested !== undefined) {
    await requireDossier(em, principal.officeId, requested);
    const applicants = new Set(
      (await rows<{ person_id: string }>(em, 'select person_id from dossier_applicants where dossier_id = ?', [requested])).map(
        (r) => r.person_id,
      ),
    );
    const missing = personIds.filter((id) => !applicants.has(id));
    if (missing.length > 0) {
      throw refuse.conflict(
        'dossier-mismatch',
        `Dossier ${requested} does not have every applicant of this application: person(s) ${missing.join(', ')} are not applicants in it; nothing was converted`,
        { missingPersonIds: missing },
      );
    }
    return requested;
  }
  const existing = await dossierWithExactly(em, principal.officeId, personIds);
  if (existing) return existing;
  return createDossier(em, principal, { applicants: personIds.map((personId) => ({ personId })) });
}

async function insertMortgageProduct(
  em: EntityManager,
  officeId: string,
  dossierId: string,
  company: string,
  def: ProcessDefinition,
  parts: NewPart[],
): Promise<string> {
  const initial = statusOf(def, def.initialStatus);
  if (!initial) throw new Error(`definition ${def.key}@${def.version}: initial status ${def.initialStatus} unknown`);
  const productId = newId();
  await insertProduct(em, {
    id: productId,
    officeId,
    dossierId,
    type: def.productType,
    company,
    processKey: def.key,
    processVersion: def.version,
    status: initial.code,
    category: initial.category,
    workflowId: workflowIds.product(productId),
    parts,
    partsFollowProduct: true,
  });
  return productId;
}

/** A newer AX version of an application that is already a product: link, no second product. */
async function linkNewVersion(
  em: EntityManager,
  message: MessageRowWithXml,
  application: ApplicationRow,
  requestedDossier: string | undefined,
): Promise<HdnConvertResult> {
  const result = await alreadyConverted(em, application.product_id);
  if (requestedDossier !== undefined && requestedDossier !== result.dossierId) {
    throw refuse.conflict(
      'dossier-mismatch',
      `Application ${message.application_number} is already product ${application.product_id} in dossier ${result.dossierId}`,
    );
  }
  // Only a newer version moves the application on; an older one arriving late is just linked.
  await moveApplicationToVersion(em, application.product_id, Number(message.application_version), message.id);
  await markConverted(em, message.id, application.product_id);
  return result;
}

function uniquePersons(persons: ApplicantPerson[]): void {
  if (new Set(persons.map((p) => p.personId)).size !== persons.length) {
    throw refuse.conflict(
      'applicants-same-person',
      'Both applicants of this application match the same person of the office; correct the person data first',
    );
  }
}

export async function convertApplication(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  messageId: string,
  body: HdnConvertRequest,
): Promise<ConvertOutcome> {
  const { officeId } = principal;
  const outcome = await em.transactional(async (tem): Promise<ConvertOutcome> => {
    const message = await lockMessage(tem, officeId, messageId);
    if (message.state === 'converted' && message.product_id) {
      return { result: await alreadyConverted(tem, message.product_id), created: false };
    }
    if (message.state !== 'received') {
      throw refuse.conflict('not-convertible', `Message ${messageId} is ${message.state}; only a received AX can be converted`);
    }
    // Conversions of one office run one at a time: two AX versions of one application must
    // not both make a product, and two applications of the same new person must not both
    // create that person. Converting is rare and short, so an office-wide lock costs nothing.
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`hdn-convert|${officeId}`]);
    const application = await applicationOfNumber(tem, officeId, message.application_number);
    if (application) return { result: await linkNewVersion(tem, message, application, body.dossierId), created: false };

    const ax = parseStoredApplication(message);
    const lender = await lenderOf(tem, ax.header.receiverCode);
    const def = await latestMortgageDefinition(tem);
    const persons = await personsOfApplicants(tem, officeId, ax.applicants);
    uniquePersons(persons);
    const personIds = persons.map((p) => p.personId);
    const dossierId = await chooseDossier(tem, principal, personIds, body.dossierId);
    const productId = await insertMortgageProduct(tem, officeId, dossierId, lender.name, def, loanPartRows(ax.loanParts));
    await insertApplication(tem, {
      productId,
      officeId,
      applicationNumber: message.application_number,
      applicationVersion: Number(message.application_version),
      lenderCode: lender.code,
      sourceMessageId: message.id,
    });
    await markConverted(tem, message.id, productId);
    return {
      created: true,
      result: {
        productId,
        dossierId,
        personIds,
        createdPersons: persons.filter((p) => p.created).map((p) => p.personId),
        matchedPersons: persons.filter((p) => !p.created).map((p) => p.personId),
        alreadyConverted: false,
      },
    };
  });

  // After commit: a failed start leaves the product in place; converting again retries it.
  await ensureProductWorkflow(temporal, await productWorkflowStart(em.fork(), outcome.result.productId, principal.credentialId));
  return outcome;
}
