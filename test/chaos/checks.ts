/**
 * What the chaos run must leave behind, read from the places that count: PostgreSQL (the
 * office's rows), the SMTP peer (what was really mailed), the simulated lender (what it got)
 * and the chaos Temporal server (how the workflows ended). Each check is a row of counts with
 * its failures; `failures` is empty when the platform lost and duplicated nothing.
 */
import pg from 'pg';
import type { StoredMail } from '../../simulators/smtp/smtp-peer.js';
import type { ChaosPlatform } from './chaos-platform.js';
import { checkRun, type RunCase } from './invoice-run.js';
import type { CaseRecord, ScenarioResult } from './scenario.js';

export interface CheckRow {
  check: string;
  expected: number;
  found: number;
  ok: boolean;
  note?: string;
}

export interface CheckReport {
  rows: CheckRow[];
  failures: string[];
  /** Facts worth printing that are not failures (duplicate SMTP deliveries with one Message-ID, say). */
  notes: string[];
}

/** The SX codes the happy lender sends, in order, and its other messages. */
const HAPPY_SX = ['09', '10', '22', '12', '04', '23', '05', '31', '26', '20'];

export async function runChecks(opts: {
  databaseUrl: string;
  mailUiUrl: string;
  platform: ChaosPlatform;
  result: ScenarioResult;
  /** How long to wait for effects still pending (outbox mails, message outcomes). */
  settleMs: number;
  /** The second office's invoice run, when the chaos run has one. */
  invoiceRun?: RunCase;
  /** Times the worker died (killed by the driver or on its own): each may repeat the mails in flight. */
  workerDeaths: number;
}): Promise<CheckReport> {
  const { platform, result } = opts;
  const cases = result.cases;
  const rows: CheckRow[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  const row = (check: string, expected: number, found: number, bad: string[], note?: string): void => {
    rows.push({ check, expected, found, ok: bad.length === 0 && expected === found, ...(note ? { note } : {}) });
    for (const b of bad.slice(0, 10)) failures.push(`${check}: ${b}`);
    if (bad.length > 10) failures.push(`${check}: … and ${bad.length - 10} more`);
    if (bad.length === 0 && expected !== found) failures.push(`${check}: expected ${expected}, found ${found}`);
  };
  const of = (kind: CaseRecord['kind']) => cases.filter((c) => c.kind === kind);
  const service = of('service');
  const hdn = of('hdn');
  const billing = of('billing');

  const db = new pg.Client({ connectionString: opts.databaseUrl });
  await db.connect();
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => (await db.query<T>(sql, params)).rows;
  const office = platform.officeId;
  try {
    // Effects that follow an end status (the storno mail after `reversed`, a message's outcome
    // after the status it set) may still be on their way: wait until nothing is pending.
    const pending = async (): Promise<number> => {
      const [r] = await q<{ n: string }>(
        `select (select count(*) from mails m join dossiers d on d.id = m.dossier_id where d.office_id = $1 and m.status = 'pending')
              + (select count(*) from hdn_messages where office_id = $1 and direction = 'in' and type <> 'AX' and state in ('received', 'delivered'))
              + (select count(*) from invoices where office_id = $1 and status = 'open' and export_id is null)
              -- The storno notice is made by the invoice workflow after the status is 'reversed':
              -- a reversed invoice without its notice yet is still on its way, not missing.
              + (select count(*) from invoices i where i.office_id = $1 and i.status = 'reversed' and not exists (
                   select 1 from mails m where m.dossier_id = i.dossier_id and m.subject ilike '%teruggeboekt%' and strpos(m.subject, i.number) > 0)) as n`,
        [office],
      );
      return Number(r?.n ?? 0);
    };
    const settleUntil = Date.now() + opts.settleMs;
    while ((await pending()) > 0 && Date.now() < settleUntil) await new Promise((r) => setTimeout(r, 500));

    // ---------------------------------------------------------------- the walks
    const walked = cases.filter((c) => !c.error);
    row('cases walked without error', cases.length, walked.length, cases.filter((c) => c.error).map((c) => `${c.key}: ${c.error}`));

    // ---------------------------------------------------------------- end statuses
    const products = await q<{ id: string; dossier_id: string; status: string; dossier_status: string }>(
      `select p.id, p.dossier_id, p.status, d.status as dossier_status from products p join dossiers d on d.id = p.dossier_id where p.office_id = $1`,
      [office],
    );
    const productById = new Map(products.map((p) => [p.id, p]));
    const statusBad: string[] = [];
    for (const c of [...service, ...hdn]) {
      const p = c.productId ? productById.get(c.productId) : undefined;
      const want = c.kind === 'service' ? 'agreed' : 'lopend';
      if (p?.status !== want || (c.kind === 'service' && p.dossier_status !== 'client')) statusBad.push(`${c.key}: product ${c.productId ?? '-'} is ${p?.status ?? 'missing'} (dossier ${p?.dossier_status ?? '-'}), expected ${want}`);
    }
    // Why a product is stuck, from its workflow: a pending activity's last failure says most.
    const stuck = [...service, ...hdn].filter((c) => c.productId && statusBad.some((b) => b.startsWith(`${c.key}:`))).slice(0, 3);
    for (const c of stuck) notes.push(`${c.key} product:${c.productId}: ${await whyStuck(platform, `product:${c.productId}`)}`);
    row('service cases agreed, dossier client', service.length, service.length - statusBad.filter((b) => b.startsWith('svc')).length, statusBad.filter((b) => b.startsWith('svc')));
    row('HDN cases lopend (SX20)', hdn.length, hdn.length - statusBad.filter((b) => b.startsWith('hdn')).length, statusBad.filter((b) => b.startsWith('hdn')));

    const invoices = await q<{ id: string; number: string; status: string; contract_id: string | null; period_start: string | null; pdf_document_id: string | null }>(
      `select id, number, status, contract_id, period_start::text, pdf_document_id from invoices where office_id = $1 order by number`,
      [office],
    );
    const invoiceBad: string[] = [];
    for (const c of billing) {
      const inv = invoices.find((i) => i.id === c.invoiceId);
      const want = c.returned ? 'reversed' : 'collected';
      if (inv?.status !== want) invoiceBad.push(`${c.key}: invoice ${c.invoiceNumber ?? '-'} is ${inv?.status ?? 'missing'}, expected ${want}`);
    }
    row('invoices collected or reversed (MD06)', billing.length, billing.length - invoiceBad.length, invoiceBad, `${billing.filter((c) => c.returned).length} returned`);
    // Why a contract's invoice is missing or stuck: its contract and invoice workflows say.
    for (const c of billing.filter((b) => invoiceBad.some((x) => x.startsWith(`${b.key}:`))).slice(0, 3)) {
      const mine = invoices.filter((i) => i.contract_id === c.contractId);
      const ids = [`contract:${c.contractId}`, ...mine.map((i) => `invoice:${i.id}`)];
      for (const id of ids) notes.push(`${c.key} ${id}${id.startsWith('invoice:') ? ` (${mine.find((i) => id.endsWith(i.id))?.status})` : ''}: ${await whyStuck(platform, id)}`);
    }

    // ---------------------------------------------------------------- exactly once: dossiers, products, contracts, invoices
    const persons = await q<{ email: string; n: string; dossiers: string }>(
      `select p.email, count(distinct p.id) as n, count(distinct a.dossier_id) as dossiers
         from persons p left join dossier_applicants a on a.person_id = p.id
        where p.office_id = $1 and p.email is not null group by p.email`,
      [office],
    );
    const personBad = cases.flatMap((c) => {
      const found = persons.find((p) => p.email === c.email);
      return found && Number(found.n) === 1 && Number(found.dossiers) === 1 ? [] : [`${c.email}: ${found?.n ?? 0} person(s), ${found?.dossiers ?? 0} dossier(s)`];
    });
    row('one person and one dossier per case', cases.length, cases.length - personBad.length, personBad);

    const perDossier = new Map<string, number>();
    for (const p of products) perDossier.set(p.dossier_id, (perDossier.get(p.dossier_id) ?? 0) + 1);
    const productBad = cases.flatMap((c) => {
      const n = c.dossierId ? (perDossier.get(c.dossierId) ?? 0) : 0;
      return n === 1 ? [] : [`${c.key}: dossier ${c.dossierId ?? '-'} has ${n} products`];
    });
    const caseDossiers = new Set(cases.map((c) => c.dossierId));
    const stray = products.filter((p) => !caseDossiers.has(p.dossier_id));
    row('products (one per case, none stray)', cases.length, products.length - stray.length, [
      ...productBad,
      ...stray.map((p) => `product ${p.id} (${p.status}) in dossier ${p.dossier_id}, which is no case's`),
    ]);

    const apps = await q<{ application_number: string; n: string }>(
      `select application_number, count(*) as n from hdn_applications where office_id = $1 group by application_number`,
      [office],
    );
    const appBad = hdn.flatMap((c) => {
      const n = Number(apps.find((a) => a.application_number === c.applicationNumber)?.n ?? 0);
      return n === 1 ? [] : [`${c.key}: application ${c.applicationNumber} is ${n} product(s)`];
    });
    row('HDN applications converted once', hdn.length, apps.length, appBad);

    const contracts = await q<{ product_id: string; n: string }>(`select product_id, count(*) as n from contracts where office_id = $1 group by product_id`, [office]);
    const contractBad = contracts.filter((c) => Number(c.n) !== 1).map((c) => `product ${c.product_id}: ${c.n} contracts`);
    row('contracts (one per product)', billing.length, contracts.reduce((s, c) => s + Number(c.n), 0), contractBad);

    const invoiceDupes: string[] = [];
    const seenPeriods = new Map<string, number>();
    for (const i of invoices) {
      const k = `${i.contract_id}@${i.period_start}`;
      seenPeriods.set(k, (seenPeriods.get(k) ?? 0) + 1);
    }
    for (const [k, n] of seenPeriods) if (n > 1) invoiceDupes.push(`contract period ${k}: ${n} invoices`);
    const numbers = invoices.map((i) => i.number);
    if (new Set(numbers).size !== numbers.length) invoiceDupes.push(`invoice numbers repeat: ${numbers.join(', ')}`);
    const seqs = numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b);
    const gapless = seqs.every((s, i) => s === i + 1);
    if (!gapless) invoiceDupes.push(`invoice numbers have gaps: ${numbers.join(', ')}`);
    row('invoices (one per contract period, numbers 1..n)', billing.length, invoices.length, invoiceDupes);
    // Made is not enough: each invoice must have been issued (its PDF stored, then mailed).
    const unissued = invoices.filter((i) => i.pdf_document_id === null);
    row(
      'invoices issued (PDF stored)',
      invoices.length,
      invoices.length - unissued.length,
      unissued.map((i) => `invoice ${i.number} (${i.status}) of contract ${i.contract_id} was made but never issued`),
    );

    // ---------------------------------------------------------------- tasks and documents
    const tasks = await q<{ dossier_id: string; n: string }>(`select dossier_id, count(*) as n from tasks where office_id = $1 group by dossier_id`, [office]);
    const taskBad = service.flatMap((c) => {
      const n = Number(tasks.find((t) => t.dossier_id === c.dossierId)?.n ?? 0);
      return n === 1 ? [] : [`${c.key}: ${n} follow-up tasks`];
    });
    row('follow-up tasks (one per service case)', service.length, tasks.filter((t) => service.some((c) => c.dossierId === t.dossier_id)).reduce((s, t) => s + Number(t.n), 0), taskBad);
    const agreements = await q<{ dossier_id: string; n: string }>(
      `select dossier_id, count(*) as n from documents where office_id = $1 and document_type = 'opdracht-tot-dienstverlening' group by dossier_id`,
      [office],
    );
    const agreementBad = service.flatMap((c) => {
      const n = Number(agreements.find((t) => t.dossier_id === c.dossierId)?.n ?? 0);
      return n === 1 ? [] : [`${c.key}: ${n} agreement documents`];
    });
    row('service agreements (PDF, one per case)', service.length, agreements.reduce((s, a) => s + Number(a.n), 0), agreementBad);

    // A repeated text step stores its text again before the Update answers with the first
    // outcome: the extra row is never used. Not an effect twice, but worth knowing.
    const payloads = await q<{ product_id: string; step_id: string; n: string }>(
      `select s.product_id, s.step_id, count(*) as n from step_payloads s join products p on p.id = s.product_id
        where p.office_id = $1 group by s.product_id, s.step_id having count(*) > 1`,
      [office],
    );
    if (payloads.length > 0) {
      notes.push(
        `${payloads.length} text step(s) stored their text more than once (a repeated step request; only the first row is used): ` +
          payloads.map((p) => `${p.step_id} of product ${p.product_id} ×${p.n}`).join(', '),
      );
    }

    // ---------------------------------------------------------------- mails at the SMTP peer
    const res = await fetch(`${opts.mailUiUrl}/messages`);
    if (!res.ok) throw new Error(`SMTP peer answered ${res.status} on /messages`);
    const allMail = (await res.json()) as StoredMail[];
    const byRecipient = new Map<string, StoredMail[]>();
    for (const m of allMail) {
      for (const a of new Set([...m.envelopeTo, ...m.to].map((x) => x.toLowerCase()))) {
        const list = byRecipient.get(a) ?? [];
        list.push(m);
        byRecipient.set(a, list);
      }
    }
    const mailBad: string[] = [];
    let expectedMails = 0;
    let distinctMails = 0;
    let deliveries = 0;
    const repeated: string[] = [];
    for (const c of cases) {
      const received = byRecipient.get(c.email.toLowerCase()) ?? [];
      deliveries += received.length;
      const ids = new Map<string, StoredMail[]>();
      for (const m of received) {
        const id = m.messageId ?? `no-id:${m.id}`;
        ids.set(id, [...(ids.get(id) ?? []), m]);
      }
      for (const [id, list] of ids) if (list.length > 1) repeated.push(`${c.email} got ${list.length}× Message-ID ${id} (${list[0]!.subject})`);
      const distinct = [...ids.values()].map((l) => l[0]!);
      distinctMails += distinct.length;
      const want: [string, RegExp][] =
        c.kind === 'service'
          ? [
              ['portal activation', /activ/i],
              ['conversation report', /gespreksverslag/i],
            ]
          : c.kind === 'billing'
            ? [
                // The storno notice names the invoice number too.
                ['invoice', new RegExp(`^(?!.*teruggeboekt).*${c.invoiceNumber ?? '^$'}`, 'i')],
                ...(c.returned ? ([['storno notice', /teruggeboekt/i]] as [string, RegExp][]) : []),
              ]
            : [];
      expectedMails += want.length;
      for (const [label, re] of want) {
        const n = distinct.filter((m) => re.test(m.subject)).length;
        if (n !== 1) mailBad.push(`${c.email}: ${n}× ${label}`);
      }
      const unexpected = distinct.filter((m) => !want.some(([, re]) => re.test(m.subject)));
      for (const m of unexpected) mailBad.push(`${c.email}: unexpected mail "${m.subject}"`);
    }
    row('mails at the SMTP peer (distinct Message-IDs)', expectedMails, distinctMails, mailBad, `${deliveries} deliveries`);
    if (repeated.length > 0) {
      notes.push(
        `${repeated.length} mail(s) arrived more than once with the same Message-ID (the documented crash window in ` +
          `services/work/mail-outbox.ts: accepted by SMTP, worker killed before the row was marked sent): ${repeated.join('; ')}`,
      );
    }
    const outbox = await q<{ status: string; n: string }>(
      `select m.status, count(*) as n from mails m join dossiers d on d.id = m.dossier_id where d.office_id = $1 group by m.status`,
      [office],
    );
    const outboxSent = Number(outbox.find((o) => o.status === 'sent')?.n ?? 0);
    const outboxOther = outbox.filter((o) => o.status !== 'sent').map((o) => `${o.n} outbox row(s) ${o.status}`);
    row('mail outbox rows sent', expectedMails, outboxSent, outboxOther);

    // ---------------------------------------------------------------- the invoice run (a second office)
    if (opts.invoiceRun) {
      const run = await checkRun(q, opts.invoiceRun, byRecipient, opts.workerDeaths);
      for (const [check, expected, found, bad, note] of run.rows) row(check, expected, found, bad, note);
      notes.push(...run.notes);
    }

    // ---------------------------------------------------------------- inbound messages
    // The office's messages for the cases' applications (the seed's demo AX waits in the inbox).
    const inbound = await q<{ id: string; type: string; state: string; reason: string | null; application_number: string; status_code: string | null; product_id: string | null }>(
      `select id, type, state, reason, application_number, status_code, product_id from hdn_messages
        where office_id = $1 and direction = 'in' and application_number = any($2::text[])`,
      [office, hdn.map((c) => c.applicationNumber ?? '')],
    );
    const inboundBad: string[] = [];
    const states = new Map<string, number>();
    for (const m of inbound) {
      states.set(m.state, (states.get(m.state) ?? 0) + 1);
      const ok =
        (m.type === 'AX' && m.state === 'converted') ||
        (m.type !== 'AX' && m.state === 'applied') ||
        ((m.state === 'parked' || m.state === 'recorded') && Boolean(m.reason));
      if (!ok) inboundBad.push(`${m.type}${m.status_code ?? ''} ${m.id} of ${m.application_number}: ${m.state}${m.reason ? ` (${m.reason})` : ' without a reason'}`);
    }
    const perApp = hdn.length * (1 + HAPPY_SX.length + 3); // AX + SX + 2 OX + DA
    row('inbound HDN messages stored and applied/parked', perApp, inbound.length, inboundBad, [...states].map(([s, n]) => `${n} ${s}`).join(', '));

    const history = await q<{ product_id: string; label: string }>(
      `select h.product_id, h.label from product_history h join products p on p.id = h.product_id where p.office_id = $1 and h.label like 'SX %'`,
      [office],
    );
    const hdnBad: string[] = [];
    for (const c of hdn) {
      const msgs = inbound.filter((m) => m.application_number === c.applicationNumber);
      const sx = msgs.filter((m) => m.type === 'SX').map((m) => m.status_code).sort();
      if (JSON.stringify(sx) !== JSON.stringify([...HAPPY_SX].sort())) hdnBad.push(`${c.key}: SX stored ${sx.join(',')}`);
      const ox = msgs.filter((m) => m.type === 'OX').length;
      const da = msgs.filter((m) => m.type === 'DA').length;
      if (ox !== 2 || da !== 1) hdnBad.push(`${c.key}: ${ox} OX, ${da} DA stored`);
      const applied = history.filter((h) => h.product_id === c.productId).length;
      if (applied !== HAPPY_SX.length) hdnBad.push(`${c.key}: ${applied} SX entries in the product history, expected ${HAPPY_SX.length}`);
    }
    row('HDN lender messages once per product (SX, OX, DA, history)', hdn.length, hdn.length - new Set(hdnBad.map((b) => b.split(':')[0])).size, hdnBad);

    const outbound = await q<{ application_number: string; state: string; n: string }>(
      `select application_number, state, count(*) as n from hdn_messages where office_id = $1 and direction = 'out' and type = 'AX' group by application_number, state`,
      [office],
    );
    const lenderApps = platform.lender.applications();
    const sentBad = hdn.flatMap((c) => {
      const mine = outbound.filter((o) => o.application_number === c.applicationNumber);
      const atLender = lenderApps.filter((a) => a.applicationNumber === c.applicationNumber);
      const bad: string[] = [];
      if (mine.length !== 1 || mine[0]!.state !== 'sent' || Number(mine[0]!.n) !== 1) bad.push(`${c.key}: outbound AX rows ${JSON.stringify(mine)}`);
      if (atLender.length !== 1) bad.push(`${c.key}: ${atLender.length} applications at the lender`);
      return bad;
    });
    const axRepeats = lenderApps.filter((a) => hdn.some((c) => c.applicationNumber === a.applicationNumber) && a.axReceived > 1);
    row('applications sent once (outbound AX, lender flows)', hdn.length, hdn.length - new Set(sentBad.map((b) => b.split(':')[0])).size, sentBad, axRepeats.length ? `${axRepeats.length} AX repeated to the lender, acknowledged without a second flow` : undefined);

    const imports = await q<{ id: string; booked: number }>(`select id, booked from bank_imports where office_id = $1`, [office]);
    const bookings = await q<{ invoice_id: string; kind: string; reason_code: string | null; n: string }>(
      `select invoice_id, kind, reason_code, count(*) as n from booking_lines where office_id = $1 group by invoice_id, kind, reason_code`,
      [office],
    );
    const bookingBad: string[] = [];
    for (const c of billing) {
      const mine = bookings.filter((b) => b.invoice_id === c.invoiceId);
      const want = c.returned ? ['collection:', 'reversal:MD06'] : ['collection:'];
      const got = mine.flatMap((b) => Array.from({ length: Number(b.n) }, () => `${b.kind}:${b.reason_code ?? ''}`)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) bookingBad.push(`${c.key}: booking lines ${got.join(', ')}`);
    }
    const expectedImports = billing.length > 0 ? 1 : 0;
    if (imports.length !== expectedImports) bookingBad.push(`${imports.length} bank imports stored, expected ${expectedImports}`);
    // Stored first, then told to the invoice's process: nothing may stay owed.
    const owed = await q<{ kind: string; n: string }>(
      `select 'booking line' as kind, count(*) as n from booking_lines where office_id = $1 and delivered_at is null
       union all select 'SEPA export', count(*) from sepa_exports where office_id = $1 and delivered_at is null`,
      [office],
    );
    for (const o of owed) if (Number(o.n) > 0) bookingBad.push(`${o.n} ${o.kind}(s) never told to the invoice process`);
    row('camt import stored once, each entry booked and delivered once', billing.length + billing.filter((c) => c.returned).length, bookings.reduce((s, b) => s + Number(b.n), 0), bookingBad);

    // ---------------------------------------------------------------- Temporal
    const statuses = await platform.withTemporal(async (client) => {
      const counts = new Map<string, number>();
      const bad: string[] = [];
      for await (const w of client.workflow.list()) {
        counts.set(w.status.name, (counts.get(w.status.name) ?? 0) + 1);
        if (['FAILED', 'TIMED_OUT', 'TERMINATED'].includes(w.status.name)) bad.push(`${w.workflowId} ${w.type}: ${w.status.name}`);
      }
      return { counts, bad };
    });
    const total = [...statuses.counts.values()].reduce((s, n) => s + n, 0);
    row('workflows not failed/timed out/terminated', total, total - statuses.bad.length, statuses.bad, [...statuses.counts].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', '));
  } finally {
    await db.end();
  }
  return { rows, failures, notes };
}

/** A workflow's status and its pending activities (attempt, last failure): why it has not got further. */
async function whyStuck(platform: ChaosPlatform, workflowId: string): Promise<string> {
  return platform
    .withTemporal(async (client) => {
      const d = await client.workflow.getHandle(workflowId).describe();
      const activities = (d.raw.pendingActivities ?? []).map(
        (a) =>
          `pending activity ${a.activityType?.name ?? '?'} ${String(a.state ?? '')} attempt ${a.attempt ?? '?'}` +
          `${a.lastFailure?.message ? `, last failure: ${a.lastFailure.message.slice(0, 200)}` : ''}`,
      );
      const task = d.raw.pendingWorkflowTask ? `, workflow task ${String(d.raw.pendingWorkflowTask.state ?? '')} attempt ${d.raw.pendingWorkflowTask.attempt ?? '?'}` : '';
      // The history in short: event kinds, with the activity or timer they are about.
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const events = (history.events ?? []).map((e) => {
        const kind = Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]);
        const name = kind?.replace(/EventAttributes$/, '') ?? String(e.eventType);
        const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
        const marker = e.markerRecordedEventAttributes?.markerName;
        const timer = e.timerStartedEventAttributes?.startToFireTimeout?.seconds;
        return `${name}${activity ? `(${activity})` : ''}${marker ? `(${marker})` : ''}${timer !== undefined && timer !== null ? `(${String(timer)} s)` : ''}`;
      });
      return `${d.status.name}, ${d.historyLength} events${task}${activities.length ? `; ${activities.join('; ')}` : ', no pending activity'}; history: ${events.join(' ')}`;
    })
    .catch((err: unknown) => `describe failed: ${String(err).slice(0, 200)}`);
}

/** The counts as a fixed-width table. */
export function formatTable(rows: CheckRow[]): string {
  const w = Math.max(...rows.map((r) => r.check.length), 5);
  const line = (a: string, b: string, c: string, d: string, e: string) => `${a.padEnd(w)}  ${b.padStart(8)}  ${c.padStart(8)}  ${d.padEnd(4)}  ${e}`;
  return [
    line('check', 'expected', 'found', 'ok', ''),
    '-'.repeat(w + 40),
    ...rows.map((r) => line(r.check, String(r.expected), String(r.found), r.ok ? 'yes' : 'NO', r.note ?? '')),
  ].join('\n');
}
