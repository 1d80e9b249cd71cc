/**
 * The chaos scenario: many cases at once over HTTP, each a client that repeats what failed.
 *
 * - service: prospect → client (checklist, portal activation, a contact moment with report mail
 *   and follow-up task, the agreement); ends with the product `agreed`, the dossier `client`.
 * - hdn: advice software posts an AX, the adviser converts it and sends the application, the
 *   simulated lender walks it to SX20; ends with the product `lopend`.
 * - billing: a monthly SEPA contract (first invoice at once); then one SEPA export, the
 *   simulated bank's camt.053 with MD06 returns for some, imported; ends `collected`/`reversed`.
 *
 * Every repeat of a POST relies on what the API offers for it: Idempotency-Key on steps and on
 * product creation, "converting again answers the same product", the inbound dedup of HDN
 * messages and bank files, "one contract per product" (409, then read it), the duplicate check
 * of a new person (409, then find the dossier), and POST /billing/deliveries for signals owed.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../../scripts/seed.js';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { CHAOS_HDN_NODE, type ChaosPlatform } from './chaos-platform.js';
import type { Answer, ChaosHttp } from './http.js';

export type CaseKind = 'service' | 'hdn' | 'billing';

export interface CaseRecord {
  kind: CaseKind;
  key: string;
  /** The applicant's e-mail (mail counts are per recipient). */
  email: string;
  dossierId?: string;
  productId?: string;
  contractId?: string;
  invoiceId?: string;
  invoiceNumber?: string;
  applicationNumber?: string;
  /** billing: the bank returns this collection (MD06). */
  returned?: boolean;
  /** What went wrong in the walk (a failed expectation, or the walk gave up). */
  error?: string;
}

export interface ScenarioPlan {
  runId: string;
  service: number;
  hdn: number;
  billing: number;
  /** Every n-th contract's collection comes back as MD06. */
  returnEvery: number;
  /** Cases walked at the same time. */
  concurrency: number;
  /** How long a case may wait for its end status. */
  settleMs: number;
}

export interface ScenarioResult {
  cases: CaseRecord[];
  exportId?: string;
  importIds: string[];
  billingError?: string;
}

const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const axFixture = parseHdn(readFileSync(new URL('../../integrations/hdn/fixtures/ax.xml', import.meta.url), 'utf8')) as HdnApplication;

class CaseFailed extends Error {}

function expectStatus(what: string, answer: Answer, ...ok: number[]): void {
  if (!ok.includes(answer.status)) throw new CaseFailed(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new CaseFailed(`timed out waiting for ${what}`);
    await sleep(300);
  }
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await run(item);
    }
  });
  await Promise.all(lanes);
}

export class Scenario {
  readonly cases: CaseRecord[] = [];
  private readonly today = todayInAmsterdam(new Date());

  constructor(
    private readonly platform: ChaosPlatform,
    private readonly http: ChaosHttp,
    private readonly plan: ScenarioPlan,
    private readonly log: (line: string) => void,
  ) {
    const { runId } = plan;
    for (let i = 1; i <= plan.service; i++) this.cases.push({ kind: 'service', key: `svc${i}-${runId}`, email: `svc${i}.${runId}@chaos.example.nl` });
    for (let i = 1; i <= plan.hdn; i++) this.cases.push({ kind: 'hdn', key: `hdn${i}-${runId}`, email: `hdn${i}.${runId}@chaos.example.nl` });
    for (let i = 1; i <= plan.billing; i++) {
      this.cases.push({ kind: 'billing', key: `inv${i}-${runId}`, email: `inv${i}.${runId}@chaos.example.nl`, returned: i % plan.returnEvery === 0 });
    }
  }

  /** Creates the billing settings (creditor = the simulated bank's account). */
  async prepare(): Promise<void> {
    const nationalId = '123456780000';
    const creditorId = `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}`;
    const settings = await this.http.request('/billing/settings', {
      method: 'PUT',
      token: this.platform.tokens.admin,
      json: { reminderMode: 'workflow', paymentTermDays: 14, creditor: { name: 'Chaos Advies B.V.', iban: this.platform.creditorIban, creditorId } },
    });
    expectStatus('billing settings', settings, 200);
  }

  async run(): Promise<ScenarioResult> {
    const result: ScenarioResult = { cases: this.cases, importIds: [] };
    // Interleave the kinds, so every kind is in flight while the driver kills.
    const order = [...this.cases].sort((a, b) => Number(a.key.match(/\d+/)![0]) - Number(b.key.match(/\d+/)![0]));
    await pool(order, this.plan.concurrency, async (c) => {
      try {
        if (c.kind === 'service') await this.serviceCase(c);
        else if (c.kind === 'hdn') await this.hdnCase(c);
        else await this.contractCase(c);
      } catch (err) {
        c.error = err instanceof Error ? err.message : String(err);
        this.log(`case ${c.key}: ${c.error}`);
      }
    });
    try {
      await this.collect(result);
    } catch (err) {
      result.billingError = err instanceof Error ? err.message : String(err);
      this.log(`billing: ${result.billingError}`);
    }
    return result;
  }

  // ------------------------------------------------------------------ shared steps

  /** A new dossier for one new person; a repeat that finds the person already made answers with that dossier. */
  private async dossier(c: CaseRecord, firstName: string, lastName: string, birthDate: string): Promise<string> {
    const created = await this.http.request('/dossiers', { json: { applicants: [{ person: { firstName, lastName, birthDate, email: c.email } }] } });
    if (created.status === 201) return created.body.id as string;
    if (created.status === 409 && created.uncertain) {
      // The lost first attempt created it: the duplicate check names the person; find its dossier.
      const found = await this.http.request(`/dossiers?q=${encodeURIComponent(c.email)}`);
      expectStatus('dossier search', found, 200);
      const items = found.body.items as { id: string }[];
      if (items.length !== 1) throw new CaseFailed(`dossier of ${c.email}: ${items.length} found after a repeated create`);
      return items[0]!.id;
    }
    expectStatus('create dossier', created, 201);
    throw new CaseFailed('unreachable');
  }

  private async product(c: CaseRecord, dossierId: string, description: string): Promise<string> {
    const created = await this.http.request(`/dossiers/${dossierId}/products`, {
      json: { type: 'service', parts: [{ description }] },
      headers: { 'idempotency-key': `product-${c.key}` },
    });
    expectStatus('create product', created, 200, 201);
    return created.body.id as string;
  }

  private async step(c: CaseRecord, stepId: string, input?: Record<string, string | number | boolean>): Promise<string> {
    const answer = await this.http.request(`/products/${c.productId}/steps/${stepId}`, {
      json: input ? { input } : {},
      headers: { 'idempotency-key': `${c.key}-${stepId}` },
    });
    expectStatus(`step ${stepId}`, answer, 200);
    return answer.body.product.status as string;
  }

  private async productStatus(productId: string): Promise<string> {
    const p = await this.http.request(`/products/${productId}`);
    expectStatus('read product', p, 200);
    return p.body.status as string;
  }

  // ------------------------------------------------------------------ the cases

  private async serviceCase(c: CaseRecord): Promise<void> {
    const n = Number(c.key.match(/\d+/)![0]);
    c.dossierId = await this.dossier(c, 'Sanne', `Dienst-${c.key}`, `1980-01-${String((n % 28) + 1).padStart(2, '0')}`);
    c.productId = await this.product(c, c.dossierId, 'Hypotheekadvies');
    await this.step(c, 'choose-checklist', { profile: 'loondienst' });
    await this.step(c, 'send-portal-activation');
    await this.step(c, 'register-contact', {
      channel: 'telefoon',
      summary: 'Wensen en budget besproken; stukken volgen.',
      sendReport: true,
      followUpTask: true,
      followUpDate: addDays(this.today, 30),
    });
    const status = await this.step(c, 'create-agreement');
    if (status !== 'agreed') throw new CaseFailed(`create-agreement answered status ${status}`);
  }

  private async hdnCase(c: CaseRecord): Promise<void> {
    const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    c.applicationNumber = applicationNumber;
    const ax: HdnApplication = {
      ...axFixture,
      header: {
        ...axFixture.header,
        senderNode: DEMO_HDN_NODES.advice_software,
        receiverNode: CHAOS_HDN_NODE,
        receiverCode: DEMO_LENDER.code,
        applicationNumber,
        applicationVersion: '1',
      },
      // One applicant, so the mail address of the case is the only one.
      applicants: axFixture.applicants.slice(0, 1).map((a) => ({ ...a, lastName: `${a.lastName}-${c.key}`, email: c.email })),
    };
    const inbound = await this.http.request('/hdn/messages', { xml: buildHdn(ax), token: this.platform.tokens.advice_software });
    expectStatus('post AX', inbound, 200, 202);
    const converted = await this.http.request(`/hdn/messages/${inbound.body.id}/convert`, { json: {} });
    expectStatus('convert AX', converted, 200, 201);
    c.productId = converted.body.productId as string;
    c.dossierId = converted.body.dossierId as string;
    await this.step(c, 'send-application');
    await until(`${c.key} lopend`, this.plan.settleMs, async () => ((await this.productStatus(c.productId!)) === 'lopend' ? true : undefined));
  }

  private async contractCase(c: CaseRecord): Promise<void> {
    const n = Number(c.key.match(/\d+/)![0]);
    c.dossierId = await this.dossier(c, `Klant${n}`, `Incasso-${c.key}`, `1975-03-${String((n % 28) + 1).padStart(2, '0')}`);
    c.productId = await this.product(c, c.dossierId, 'Abonnement hypotheekservice');
    const account = `${String(n).padStart(4, '0')}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const created = await this.http.request(`/products/${c.productId}/contract`, {
      json: {
        description: 'Servicepakket hypotheek',
        amountCents: 2_500,
        vatRate: 21,
        period: 'month',
        startDate: addDays(this.today, -1),
        paymentMethod: 'sepa',
        mandate: { id: `M-${c.key}`, signedOn: addDays(this.today, -10), iban: iban('RABO', account), name: `Klant${n} Incasso` },
        delivery: 'email',
      },
    });
    if (created.status === 409 && created.uncertain) {
      // One contract per product: the lost first attempt made it.
      const list = await this.http.request(`/contracts?productId=${c.productId}`);
      expectStatus('read contracts', list, 200);
      const items = list.body.items as { id: string }[];
      if (items.length !== 1) throw new CaseFailed(`${items.length} contracts on product ${c.productId}`);
      c.contractId = items[0]!.id;
    } else {
      expectStatus('create contract', created, 200, 201);
      c.contractId = created.body.id as string;
    }
    const invoice = await until(`the first invoice of ${c.key}`, this.plan.settleMs, async () => {
      const list = await this.http.request(`/invoices?contractId=${c.contractId}`);
      const first = (list.body.items as { id: string; number: string; status: string }[] | undefined)?.[0];
      return first && first.status === 'sent' ? first : undefined;
    });
    c.invoiceId = invoice.id;
    c.invoiceNumber = invoice.number;
  }

  // ------------------------------------------------------------------ collection

  private async invoiceDetail(id: string): Promise<{ status: string; endToEndId: string | null; exportId: string | null }> {
    const answer = await this.http.request(`/invoices/${id}`);
    expectStatus('read invoice', answer, 200);
    return answer.body as { status: string; endToEndId: string | null; exportId: string | null };
  }

  private async deliverOwed(): Promise<void> {
    const answer = await this.http.request('/billing/deliveries', { json: {} });
    expectStatus('deliveries', answer, 200);
  }

  /** One SEPA export of every first invoice, the bank's camt.053 (some MD06), imported. */
  private async collect(result: ScenarioResult): Promise<void> {
    const contracts = this.cases.filter((c) => c.kind === 'billing' && c.invoiceId && !c.error);
    if (contracts.length === 0) return;
    const collectionDate = nextTargetBusinessDay(this.today, true);
    const exported = await this.http.request('/billing/sepa-exports', { json: { collectionDate } });
    if (exported.status === 201) {
      result.exportId = exported.body.id as string;
    } else if (exported.status === 409 && exported.uncertain) {
      // The lost first attempt made the export; the invoices name it.
      result.exportId = (await this.invoiceDetail(contracts[0]!.invoiceId!)).exportId ?? undefined;
      if (!result.exportId) throw new CaseFailed(`export answered 409 on a repeat and the invoices name no export: ${JSON.stringify(exported.body)}`);
    } else {
      expectStatus('SEPA export', exported, 201);
    }
    // Signals the export owes its invoice processes (when the engine was down meanwhile).
    await this.deliverOwed();
    const rules: { endToEndId: string; reason: string }[] = [];
    for (const c of contracts) {
      const detail = await until(`${c.invoiceNumber} collection_pending`, this.plan.settleMs, async () => {
        const d = await this.invoiceDetail(c.invoiceId!);
        return d.status === 'collection_pending' ? d : undefined;
      });
      if (detail.exportId !== result.exportId) throw new CaseFailed(`${c.invoiceNumber} is in export ${detail.exportId}, not ${result.exportId}`);
      if (c.returned && detail.endToEndId) rules.push({ endToEndId: detail.endToEndId, reason: 'MD06' });
    }
    this.platform.bank.setReturnRules(rules);
    const xml = await this.http.request(`/billing/sepa-exports/${result.exportId}/xml`);
    expectStatus('export xml', xml, 200);
    const auth = { authorization: `Bearer ${this.platform.bankToken}` };
    const posted = await fetch(this.platform.bank.collectionsUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/xml' }, body: String(xml.body) });
    if (posted.status !== 202) throw new CaseFailed(`bank refused the pain.008: ${posted.status} ${await posted.text()}`);
    const { statementUrl } = (await posted.json()) as { statementUrl: string };
    const camt = await (await fetch(new URL(statementUrl, this.platform.bank.url), { headers: auth })).text();
    const imported = await this.http.request('/billing/bank-imports', { xml: camt });
    expectStatus('bank import', imported, 200, 201);
    result.importIds.push(imported.body.id as string);
    await this.deliverOwed();
    for (const c of contracts) {
      const want = c.returned ? 'reversed' : 'collected';
      await until(`${c.invoiceNumber} ${want}`, this.plan.settleMs, async () => ((await this.invoiceDetail(c.invoiceId!)).status === want ? true : undefined));
    }
  }
}
