/**
 * Contracts (periodic costs of a product): create (row, then `contract:<id>`), read, change.
 * The row is the truth; the workflow reads its terms from PostgreSQL and keeps
 * last/next invoice date current.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError } from '@temporalio/common';
import { grossCents, MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';
import { effectiveFromNextPeriod, MAX_BACKLOG_PERIODS, periodsUpTo } from '../../domain/billing/periods.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { checkIban } from '../../domain/iban.js';
import { newId } from '../../db/ids.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { ContractCreate, ContractPatch, ContractView } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { findProductRow } from '../products/products.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import { contractStatus } from './contract-summary.js';
import { contractColumns, insertContract, updateContractTerms, type ContractRow } from './store.js';
import { engineDown, signalContractChanged, startContractWorkflow } from './workflows.js';

const today = (): string => todayInAmsterdam(new Date());

/** Only the last 4 characters of an IBAN leave the API (the rest is personal data the adviser rarely needs). */
export function maskIban(iban: string): string {
  return `${'*'.repeat(Math.max(0, iban.length - 4))}${iban.slice(-4)}`;
}

function contractView(r: ContractRow): ContractView {
  return {
    id: r.id,
    productId: r.product_id,
    dossierId: r.dossier_id,
    description: r.description,
    amountCents: Number(r.amount_cents),
    vatRate: Number(r.vat_rate),
    period: r.period,
    startDate: isoDate(r.start_date) ?? '',
    endDate: isoDate(r.end_date),
    status: contractStatus(isoDate(r.start_date) ?? '', isoDate(r.end_date), today()),
    paymentMethod: r.payment_method,
    mandate:
      r.mandate_id === null
        ? null
        : {
            id: r.mandate_id,
            signedOn: isoDate(r.mandate_signed_on) ?? '',
            ibanMasked: maskIban(r.debtor_iban ?? ''),
            name: r.debtor_name,
            firstCollected: r.mandate_first_collected,
          },
    mandateFlaggedReason: r.mandate_flagged_reason,
    delivery: r.delivery,
    consumer: r.consumer,
    pendingAmountCents: r.pending_amount_cents === null ? null : Number(r.pending_amount_cents),
    pendingFrom: isoDate(r.pending_from),
    lastInvoiceDate: isoDate(r.last_invoice_date),
    nextInvoiceDate: isoDate(r.next_invoice_date),
    workflowId: r.workflow_id,
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

async function findContractRow(em: EntityManager, officeId: string, id: string): Promise<ContractRow | undefined> {
  if (!looksLikeUuid(id)) return undefined;
  return one<ContractRow>(em, `select ${contractColumns} from contracts where office_id = ? and id = ?`, [officeId, id]);
}

export async function getContract(em: EntityManager, officeId: string, id: string): Promise<ContractView> {
  const r = await findContractRow(em, officeId, id);
  if (!r) throw refuse.notFound('Contract', id);
  return contractView(r);
}

export async function listContracts(
  em: EntityManager,
  officeId: string,
  q: { productId?: string | undefined; limit: number; offset: number },
): Promise<ContractView[]> {
  if (q.productId !== undefined && !looksLikeUuid(q.productId)) return [];
  const found = await rows<ContractRow>(
    em,
    `select ${contractColumns} from contracts where office_id = ? and (?::uuid is null or product_id = ?::uuid)
     order by created_at, id limit ? offset ?`,
    [officeId, q.productId ?? null, q.productId ?? null, q.limit, q.offset],
  );
  return found.map(contractView);
}

/**
 * An invoice of one period (price + VAT) must be an amount the platform can invoice and collect:
 * at most MAX_AMOUNT_CENTS (the SEPA maximum of one transaction, the database's range).
 */
function periodTotalProblem(amountCents: number, vatRate: number): string | undefined {
  const total = grossCents(amountCents, vatRate);
  return total > MAX_AMOUNT_CENTS
    ? `with ${vatRate}% VAT one period's invoice would be ${total} cents, more than the maximum of ${MAX_AMOUNT_CENTS} (€ 999.999.999,99); at most ${maxNetFor(vatRate)} cents at this VAT rate`
    : undefined;
}

/** The largest price excluding VAT whose invoice stays within MAX_AMOUNT_CENTS. */
function maxNetFor(vatRate: number): number {
  let net = Math.floor((MAX_AMOUNT_CENTS * 100) / (100 + vatRate));
  while (grossCents(net + 1, vatRate) <= MAX_AMOUNT_CENTS) net += 1;
  while (grossCents(net, vatRate) > MAX_AMOUNT_CENTS) net -= 1;
  return net;
}

/** The checks no schema can express; every problem is listed, nothing is stored when one is found. */
function checkCreate(body: ContractCreate, on: string): { iban: string | null } {
  const errors: { path: string; message: string }[] = [];
  const tooLarge = periodTotalProblem(body.amountCents, body.vatRate);
  if (tooLarge) errors.push({ path: '/body/amountCents', message: tooLarge });
  if (body.endDate !== undefined && body.endDate < body.startDate) {
    errors.push({ path: '/body/endDate', message: `endDate ${body.endDate} lies before startDate ${body.startDate}` });
  }
  const backlog = periodsUpTo(body.startDate, body.period, body.endDate !== undefined && body.endDate < on ? body.endDate : on);
  if (backlog > MAX_BACKLOG_PERIODS) {
    errors.push({
      path: '/body/startDate',
      message: `a contract starting ${body.startDate} has ${backlog} ${body.period} periods to invoice up to now; at most ${MAX_BACKLOG_PERIODS} can be invoiced (start it later)`,
    });
  }
  let iban: string | null = null;
  if (body.paymentMethod === 'sepa') {
    if (!body.mandate) {
      errors.push({ path: '/body/mandate', message: 'a SEPA direct debit contract needs the mandate { id, signedOn, iban, name }' });
    } else {
      const checked = checkIban(body.mandate.iban);
      if (checked.ok) iban = checked.iban;
      else errors.push({ path: '/body/mandate/iban', message: checked.reason });
      if (body.mandate.signedOn > on) {
        errors.push({ path: '/body/mandate/signedOn', message: `the mandate cannot be signed in the future (${body.mandate.signedOn})` });
      }
    }
  } else if (body.mandate) {
    errors.push({ path: '/body/mandate', message: "a mandate belongs to paymentMethod 'sepa'; leave it out for 'transfer'" });
  }
  if (errors.length > 0) throw new DomainError('invalid', 'invalid-contract', errors.map((e) => e.message).join('; '), { errors });
  return { iban };
}

export interface CreatedContract {
  contract: ContractView;
  /** false when the product already had this contract and only its workflow was (re)started. */
  created: boolean;
}

/**
 * One contract per product. The row is inserted first (product row locked, so two calls at once
 * make one contract), then `contract:<id>` is started. Temporal down: 503 and the row stays; the
 * same call again finds the contract, sees that its workflow does not exist, starts it and
 * answers 200 with the stored contract. A contract whose workflow exists answers 409.
 */
export async function createContract(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  productId: string,
  body: ContractCreate,
): Promise<CreatedContract> {
  const { officeId } = principal;
  const product = await findProductRow(em, officeId, productId);
  if (!product) throw refuse.notFound('Product', productId);
  const { iban } = checkCreate(body, today());

  const inserted = await em.transactional(async (tem) => {
    await tem.execute('select id from products where id = ? for update', [productId]);
    const existing = await one<{ id: string }>(tem, 'select id from contracts where product_id = ?', [productId]);
    if (existing) return { id: existing.id, created: false };
    const id = newId();
    await insertContract(tem, {
      id,
      officeId,
      productId,
      dossierId: product.dossier_id,
      description: body.description.trim(),
      amountCents: body.amountCents,
      vatRate: body.vatRate,
      period: body.period,
      startDate: body.startDate,
      endDate: body.endDate ?? null,
      paymentMethod: body.paymentMethod,
      mandate: body.mandate ? { id: body.mandate.id.trim(), signedOn: body.mandate.signedOn, iban, name: body.mandate.name.trim() } : null,
      delivery: body.delivery,
      consumer: body.consumer ?? true,
      workflowId: workflowIds.contract(id),
    });
    return { id, created: true };
  });

  if (!inserted.created && (await contractWorkflowExists(temporal, inserted.id))) {
    throw new DomainError('conflict', 'contract-exists', `Product ${productId} already has contract ${inserted.id}; change it with PATCH /contracts/${inserted.id}`, {
      contractId: inserted.id,
    });
  }
  try {
    await startContractWorkflow(temporal, inserted.id);
  } catch (err) {
    throw engineDown(
      `Contract ${inserted.id} is stored, but its invoicing process could not be started; repeat the same request to start it`,
      err,
    );
  }
  return { contract: await getContract(em.fork(), officeId, inserted.id), created: inserted.created };
}

/** Whether `contract:<id>` exists (running or closed). Temporal down → 503. */
async function contractWorkflowExists(temporal: TemporalDeps, contractId: string): Promise<boolean> {
  try {
    await temporal.client.withDeadline(Date.now() + 10_000, () => temporal.client.workflow.getHandle(workflowIds.contract(contractId)).describe());
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw engineDown(`Could not check the invoicing process of contract ${contractId}`, err);
  }
}

/**
 * Changes a contract. A new amount never touches what was invoiced: it is stored as pending from
 * the next period start (`effectiveFromNextPeriod`), and the invoicing applies it from then on.
 * Then `contractChanged` is signalled; Temporal down → 503, the change is stored and the next
 * PATCH (or any later invoicing run, which reads the row) picks it up.
 */
export async function patchContract(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  id: string,
  patch: ContractPatch,
): Promise<ContractView> {
  const { officeId } = principal;
  const on = today();
  if (!looksLikeUuid(id)) throw refuse.notFound('Contract', id);
  await em.transactional(async (tem) => {
    const r = await one<ContractRow>(tem, `select ${contractColumns} from contracts where office_id = ? and id = ? for update`, [officeId, id]);
    if (!r) throw refuse.notFound('Contract', id);
    const startDate = isoDate(r.start_date) ?? '';
    const endDate = patch.endDate === undefined ? isoDate(r.end_date) : patch.endDate;
    if (endDate !== null && endDate < startDate) {
      throw new DomainError('invalid', 'invalid-contract', `endDate ${endDate} lies before the contract's startDate ${startDate}`, {
        errors: [{ path: '/body/endDate', message: `must be on or after ${startDate}` }],
      });
    }
    let pendingAmount = r.pending_amount_cents === null ? null : Number(r.pending_amount_cents);
    let pendingFrom = isoDate(r.pending_from);
    if (patch.amountCents !== undefined) {
      const tooLarge = periodTotalProblem(patch.amountCents, Number(r.vat_rate));
      if (tooLarge) {
        throw new DomainError('invalid', 'invalid-contract', `amountCents: ${tooLarge}`, { errors: [{ path: '/body/amountCents', message: tooLarge }] });
      }
      const from = effectiveFromNextPeriod({ startDate, period: r.period, ...(endDate !== null ? { endDate } : {}) }, on);
      if (from === undefined) {
        throw new DomainError('conflict', 'contract-ending', `The contract ends (${endDate}) before its next period starts: there is no period left to charge a new amount for`);
      }
      // The same amount again cancels a pending change instead of planning a no-op.
      const same = patch.amountCents === Number(r.amount_cents);
      pendingAmount = same ? null : patch.amountCents;
      pendingFrom = same ? null : from;
    }
    await updateContractTerms(tem, r.id, { endDate, delivery: patch.delivery ?? r.delivery, pendingAmountCents: pendingAmount, pendingFrom });
  });
  try {
    await signalContractChanged(temporal, id);
  } catch (err) {
    throw engineDown(`The change of contract ${id} is stored, but its invoicing process was not told yet; repeat the request`, err);
  }
  return getContract(em.fork(), officeId, id);
}
