/**
 * A mail campaign end to end against the real parts (Temporal dev server, PostgreSQL, the SMTP
 * peer, the worker as its own OS process, the API on a real port): "clients with a mortgage but
 * without home insurance" as the selection, a throttled campaign to it, the worker SIGKILLed
 * mid-campaign and started again. Every selected person gets exactly one mail at the SMTP peer;
 * an opted-out person (before the campaign, or while it runs) and a person without an e-mail
 * address get none, with the reason per recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import { startE2ePlatform, type E2ePlatform, type HttpResult } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;
let orm: MikroORM;

beforeAll(async () => {
  platform = await startE2ePlatform();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('e2e: DATABASE_URL is not set');
  orm = await createOrm(url, { pool: { min: 0, max: 2 } });
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await platform?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('mail campaign over a selection, with a killed worker', () => {
  it('mails every selected person exactly once; opt-outs and persons without e-mail get none', async () => {
    const { api } = platform;
    const suffix = Math.random().toString(36).slice(2, 8);
    const put = (path: string, body: unknown): Promise<HttpResult> =>
      platform.send(path, { method: 'PUT', token: platform.tokens.adviser!, contentType: 'application/json', body: JSON.stringify(body) });

    interface Made {
      personId: string;
      dossierId: string;
      email: string | undefined;
    }
    const makeClient = async (i: number, opts: { email: boolean; insurance?: boolean; mortgage?: boolean }): Promise<Made> => {
      const nn = String(i).padStart(2, '0');
      const email = opts.email ? `campagne.${suffix}.${nn}@example.nl` : undefined;
      const d = await api.post('/dossiers', {
        applicants: [
          {
            person: {
              firstName: `Klant${nn}`,
              lastName: `Campagne-${suffix}-${nn}`,
              birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
              ...(email ? { email } : {}),
              address: { street: 'Campagnelaan', houseNumber: 100 + i, postcode: '3511 AB', city: 'Utrecht' },
            },
          },
        ],
      });
      expect(d.status, JSON.stringify(d.body)).toBe(201);
      const dossierId = d.body.id as string;
      const personId = d.body.applicants[0].person.id as string;
      if (opts.mortgage !== false) {
        const p = await api.post(`/dossiers/${dossierId}/products`, { type: 'mortgage', parts: [{ description: 'Leningdeel 1' }] });
        expect(p.status, JSON.stringify(p.body)).toBe(201);
      }
      if (opts.insurance) {
        // A running home insurance as the RISK workflow would have left it (no RISK round trip needed here).
        const id = newId();
        const em = orm.em.fork();
        await em.execute(
          `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
           values (?, ?, ?, 'insurance', 'Woonverzekeraar', 'insurance', 1, 'lopend', 'running', ?, now(), now())`,
          [id, platform.officeId, dossierId, `test:${id}`],
        );
        await em.execute(`insert into insurance_policies (product_id, office_id, dossier_id, branch) values (?, ?, ?, '020')`, [id, platform.officeId, dossierId]);
      }
      return { personId, dossierId, email };
    };

    const selected: Made[] = [];
    for (let i = 1; i <= 30; i += 1) selected.push(await makeClient(i, { email: i !== 2 }));
    const insured: Made[] = [];
    for (let i = 31; i <= 33; i += 1) insured.push(await makeClient(i, { email: true, insurance: true }));
    const noMortgage = await makeClient(34, { email: true, mortgage: false });

    // Person 1 opted out before the campaign.
    const optOut = await put(`/persons/${selected[0]!.personId}/mail-opt-out`, { optOut: true });
    expect(optOut.status, JSON.stringify(optOut.body)).toBe(200);

    const query = { withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance' }] };
    const preview = await api.post('/selections/run', { ...query, limit: 100 });
    expect(preview.body.total).toBe(30);

    const created = await api.post('/campaigns', { name: `Woonverzekering ${suffix}`, template: 'campaign-newsletter', query, batchSize: 3, batchIntervalSeconds: 1 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as string;
    expect(created.body).toMatchObject({ total: 30, skipped: 2, status: 'running', workflowId: `campaign:${campaignId}` });

    // Person 30 (last by name) opts out while the campaign runs: the send-time check finds it.
    expect((await put(`/persons/${selected[29]!.personId}/mail-opt-out`, { optOut: true })).status).toBe(200);

    // Mid-campaign: some mails out, most not yet. Kill the worker there, then start it again.
    await until('the first batch', async () => {
      const c = await api.get(`/campaigns/${campaignId}?limit=1`);
      return c.body.campaign.sent >= 3 ? true : undefined;
    });
    await platform.killWorker();
    const during = await api.get(`/campaigns/${campaignId}?limit=1`);
    expect(during.body.campaign.sent).toBeLessThan(27);
    await sleep(1_500);
    await platform.startWorker();

    const done = await until('the campaign to complete', async () => {
      const c = await api.get(`/campaigns/${campaignId}?limit=100`);
      return c.body.campaign.status === 'completed' ? c.body : undefined;
    });
    expect(done.campaign).toMatchObject({ total: 30, sent: 27, skipped: 3, failed: 0, cancelled: 0, pending: 0 });
    const byPerson = new Map((done.recipients.items as { personId: string; status: string; reason: string | null }[]).map((r) => [r.personId, r]));
    expect(byPerson.get(selected[0]!.personId)).toMatchObject({ status: 'opted_out' });
    expect(byPerson.get(selected[1]!.personId)).toMatchObject({ status: 'no_email', reason: 'Geen e-mailadres' });
    expect(byPerson.get(selected[29]!.personId)).toMatchObject({ status: 'opted_out' });
    expect(byPerson.get(selected[29]!.personId)!.reason).toMatch(/bij verzending/);
    for (const m of [...insured, noMortgage]) expect(byPerson.has(m.personId)).toBe(false);

    // At the SMTP peer: exactly one mail per mailed person, none for the others.
    for (const [i, m] of selected.entries()) {
      if (!m.email) continue;
      const mails = await platform.mailsTo(m.email);
      const expected = i === 0 || i === 29 ? 0 : 1;
      expect(mails.length, `mails to ${m.email}`).toBe(expected);
      if (expected) expect(mails[0]!.subject).toMatch(/^Nieuws van /);
    }
    for (const m of [...insured, noMortgage]) expect(await platform.mailsTo(m.email!)).toHaveLength(0);

    // Listed, and an ended campaign can no longer be paused.
    const list = await api.get('/campaigns');
    expect((list.body.items as { id: string }[]).some((c) => c.id === campaignId)).toBe(true);
    const refused = await api.post(`/campaigns/${campaignId}/pause`, {});
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect((await platform.describeWorkflow(`campaign:${campaignId}`)).status).toBe('COMPLETED');
  }, 240_000);
});
