/**
 * The process designer over HTTP (inject) with a real PostgreSQL, a real Temporal (global
 * setup) and an in-process worker with the real activities: drafts, validation with paths,
 * publishing versions, products keeping their version, migrating products (one and bulk),
 * diffs, the dry run on the time-skipping test server, and template versions.
 *
 * Every test publishes under its own key and product type (`service-test-<random>`), so the
 * real 'service'/'mortgage' processes (which other tests rely on) are never touched.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import type { ProcessDefinition } from '../../domain/process/definition.js';
import { mortgageProcessV1, serviceProcessV1 } from '../../domain/processes/index.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const uniqueKey = (base: string) => `${base}-test-${newId().slice(0, 8)}`;

/** The shipped service process under a test key and product type. */
function serviceAs(key: string): ProcessDefinition {
  return { ...clone(serviceProcessV1), key, productType: key };
}

/** v2: a welcome call after the checklist, with its own status. */
function withWelcomeCall(d: ProcessDefinition): ProcessDefinition {
  const v2 = clone(d);
  v2.statuses.splice(2, 0, { code: 'welcomed', label: 'Welkom gebeld', category: 'new' });
  v2.steps.splice(1, 0, { id: 'welcome-call', label: 'Welkomstgesprek', from: ['checklist-chosen'], to: 'welcomed', actions: [] });
  v2.steps.find((s) => s.id === 'send-portal-activation')!.from.push('welcomed');
  v2.steps.find((s) => s.id === 'cancel')!.from.push('welcomed');
  return v2;
}

describe('process designer', () => {
  let orm: MikroORM;
  let app: FastifyInstance;
  let office: TestOffice;
  let platform: AppWithWorker | undefined;
  const taskQueue = `designer-test-${newId().slice(0, 8)}`;

  beforeAll(async () => {
    orm = await openOrm();
    await ensureShippedProcesses(orm);
    office = await createTestOffice(orm);
    platform = await startAppWithWorker(orm, taskQueue);
    app = platform.app;
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await orm?.close(true);
  });

  const designer = () => bearer(office.tokens.designer);
  const adviser = () => bearer(office.tokens.adviser);

  const saveDraft = (key: string, definition: unknown, headers = designer()) =>
    app.inject({ method: 'PUT', url: `/process-drafts/${key}`, headers, payload: { definition } });
  const publish = (key: string) => app.inject({ method: 'POST', url: `/process-drafts/${key}/publish`, headers: designer() });

  async function publishVersion(key: string, definition: ProcessDefinition): Promise<number> {
    const saved = await saveDraft(key, definition);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().validation).toMatchObject({ ok: true, problems: [] });
    const res = await publish(key);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().version as number;
  }

  async function newProduct(type: string): Promise<{ id: string }> {
    const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
    expect(dossier.statusCode).toBe(201);
    const product = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossier.json().id}/products`,
      headers: adviser(),
      payload: { type, parts: [{ description: 'Hypotheekadvies' }] },
    });
    expect(product.statusCode, product.body).toBe(201);
    return product.json();
  }

  const getProduct = async (id: string) => (await app.inject({ method: 'GET', url: `/products/${id}`, headers: adviser() })).json();
  const step = (id: string, stepId: string, input?: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/products/${id}/steps/${stepId}`, headers: adviser(), payload: input ? { input } : {} });

  it('only designers and admins write; advisers read', async () => {
    const key = uniqueKey('service');
    expect((await saveDraft(key, serviceAs(key), adviser())).statusCode).toBe(403);
    expect((await saveDraft(key, serviceAs(key), bearer(office.tokens.admin))).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/process-drafts/${key}/validate`, headers: adviser() })).json()).toMatchObject({ ok: true });
    expect((await app.inject({ method: 'POST', url: `/process-drafts/${key}/publish`, headers: adviser() })).statusCode).toBe(403);
  });

  it('v2 with an extra step: v1 products carry on under v1, new ones follow v2, one v1 product migrates, an impossible migration is refused', async () => {
    const key = uniqueKey('service');
    const v1 = serviceAs(key);
    expect(await publishVersion(key, v1)).toBe(1);

    const old = await newProduct(key);
    expect((await step(old.id, 'choose-checklist', { profile: 'loondienst' })).statusCode).toBe(200);

    const v2 = withWelcomeCall(v1);
    expect(await publishVersion(key, v2)).toBe(2);

    // The version list, one version read back, and the diff.
    const versions = (await app.inject({ method: 'GET', url: `/process-definitions/${key}/versions`, headers: adviser() })).json();
    expect(versions.items.map((v: { version: number; products: number }) => [v.version, v.products])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    const read2 = (await app.inject({ method: 'GET', url: `/process-definitions/${key}/versions/2`, headers: adviser() })).json();
    expect(read2).toMatchObject({ key, version: 2 });
    expect(read2.steps.map((s: { id: string }) => s.id)).toContain('welcome-call');
    const diff = await app.inject({ method: 'GET', url: `/process-definitions/${key}/diff?from=1&to=2`, headers: adviser() });
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      identical: false,
      statuses: { added: [{ code: 'welcomed' }], removed: [], changed: [] },
      steps: {
        added: [{ id: 'welcome-call' }],
        removed: [],
        changed: [
          { id: 'send-portal-activation', changes: [{ field: 'from', from: ['checklist-chosen'], to: ['checklist-chosen', 'welcomed'] }] },
          { id: 'cancel', changes: [{ field: 'from' }] },
        ],
      },
    });

    // The old product keeps v1; a new one follows v2.
    const oldView = await getProduct(old.id);
    expect(oldView).toMatchObject({ processVersion: 1, status: 'checklist-chosen' });
    expect(oldView.availableSteps.map((s: { id: string }) => s.id)).not.toContain('welcome-call');
    expect((await step(old.id, 'welcome-call')).statusCode).toBe(404);
    const fresh = await newProduct(key);
    expect((await getProduct(fresh.id)).processVersion).toBe(2);
    expect((await step(fresh.id, 'choose-checklist', { profile: 'starter' })).statusCode).toBe(200);
    const welcomed = await step(fresh.id, 'welcome-call');
    expect(welcomed.statusCode, welcomed.body).toBe(200);
    expect(welcomed.json().product).toMatchObject({ status: 'welcomed', statusLabel: 'Welkom gebeld' });

    // Migrate the v1 product to v2.
    const migrated = await app.inject({ method: 'POST', url: `/products/${old.id}/migrate`, headers: designer(), payload: { toVersion: 2 } });
    expect(migrated.statusCode, migrated.body).toBe(200);
    expect(migrated.json()).toMatchObject({ productId: old.id, processKey: key, fromVersion: 1, toVersion: 2, status: 'checklist-chosen' });
    const after = await getProduct(old.id);
    expect(after.processVersion).toBe(2);
    expect(after.history.at(-1)).toMatchObject({ kind: 'migration', fromStatus: 'checklist-chosen', toStatus: 'checklist-chosen' });
    expect(after.availableSteps.map((s: { id: string }) => s.id)).toContain('welcome-call');
    expect((await step(old.id, 'welcome-call')).json().product.status).toBe('welcomed');

    // v3 drops the 'welcomed' status again: products in it cannot move there.
    expect(await publishVersion(key, v1)).toBe(3);
    const refused = await app.inject({ method: 'POST', url: `/products/${old.id}/migrate`, headers: designer(), payload: { toVersion: 3 } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().detail).toMatch(/status "welcomed" van het product bestaat niet in .* versie 3/);
    const unchanged = await getProduct(old.id);
    expect(unchanged).toMatchObject({ processVersion: 2, status: 'welcomed' });
    expect(unchanged.history.filter((h: { kind: string }) => h.kind === 'migration')).toHaveLength(1);

    // Bulk: refused as a whole while a selected product is in 'welcomed'; with a filter, the others move.
    const third = await newProduct(key);
    expect((await getProduct(third.id)).processVersion).toBe(3);
    const bulkAll = await app.inject({
      method: 'POST',
      url: `/process-definitions/${key}/migrations`,
      headers: designer(),
      payload: { fromVersion: 2, toVersion: 3 },
    });
    expect(bulkAll.statusCode).toBe(409);
    expect(bulkAll.json()).toMatchObject({ missingStatuses: ['welcomed'] });
    // The preview names the product that cannot move, and why.
    const blocked = (await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=2&to=3`, headers: designer() })).json();
    expect(blocked.items.find((i: { productId: string }) => i.productId === old.id)).toMatchObject({ status: 'welcomed', statusLabel: 'Welkom gebeld', movable: false, blocker: 'status-missing' });
    expect(blocked.items.find((i: { productId: string }) => i.productId === fresh.id)).toMatchObject({ status: 'welcomed', movable: false, blocker: 'status-missing' });
    expect((await getProduct(fresh.id)).processVersion).toBe(2);
  }, 120_000);

  it('bulk migration with a status filter moves the matching running products', async () => {
    const key = uniqueKey('service');
    const v1 = serviceAs(key);
    await publishVersion(key, v1);
    const a = await newProduct(key);
    const b = await newProduct(key);
    const c = await newProduct(key);
    expect((await step(b.id, 'choose-checklist', { profile: 'loondienst' })).statusCode).toBe(200);
    expect((await step(c.id, 'cancel')).statusCode).toBe(200); // ended: stays on v1
    await publishVersion(key, withWelcomeCall(v1));

    // The preview: every product on v1, the ended one not movable; another office sees none of them; advisers may not.
    const preview = await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=1&to=2`, headers: designer() });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ key, fromVersion: 1, toVersion: 2 });
    expect(preview.json().items.map((i: { productId: string; status: string; movable: boolean; blocker?: string }) => [i.productId, i.status, i.movable, i.blocker])).toEqual([
      [a.id, 'new', true, undefined],
      [b.id, 'checklist-chosen', true, undefined],
      [c.id, 'cancelled', false, 'ended'],
    ]);
    expect(preview.json().items[1]).toMatchObject({ statusLabel: 'Stukkenlijst gekozen' });
    const other = await createTestOffice(orm);
    const otherPreview = await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=1&to=2`, headers: bearer(other.tokens.designer) });
    expect(otherPreview.statusCode).toBe(200);
    expect(otherPreview.json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=1&to=2`, headers: adviser() })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=1&to=1`, headers: designer() })).statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: `/process-definitions/${key}/migrations/preview?from=1&to=9`, headers: designer() })).statusCode).toBe(404);

    const bulk = await app.inject({
      method: 'POST',
      url: `/process-definitions/${key}/migrations`,
      headers: designer(),
      payload: { fromVersion: 1, toVersion: 2, filter: { status: ['new', 'checklist-chosen', 'cancelled'] } },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toMatchObject({ selected: 2, migrated: [a.id, b.id].sort(), failed: [] });
    expect((await getProduct(a.id)).processVersion).toBe(2);
    expect((await getProduct(b.id)).availableSteps.map((s: { id: string }) => s.id)).toContain('welcome-call');
    expect((await getProduct(c.id)).processVersion).toBe(1);
    const onlyNew = await app.inject({
      method: 'POST',
      url: `/process-definitions/${key}/migrations`,
      headers: designer(),
      payload: { fromVersion: 2, toVersion: 1, filter: { status: ['new'] } },
    });
    expect(onlyNew.json()).toMatchObject({ selected: 1, migrated: [a.id] });
  }, 120_000);

  it('the draft compares with a published version (its base by default); refused while structurally invalid', async () => {
    const key = uniqueKey('service');
    const v1 = serviceAs(key);
    await publishVersion(key, v1);
    expect((await saveDraft(key, withWelcomeCall(v1))).statusCode).toBe(200);
    const diff = await app.inject({ method: 'GET', url: `/process-drafts/${key}/diff`, headers: adviser() });
    expect(diff.statusCode, diff.body).toBe(200);
    expect(diff.json()).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      identical: false,
      statuses: { added: [{ code: 'welcomed' }], removed: [] },
      steps: { added: [{ id: 'welcome-call' }], changed: [{ id: 'send-portal-activation' }, { id: 'cancel' }] },
    });
    expect((await app.inject({ method: 'GET', url: `/process-drafts/${key}/diff?against=1`, headers: designer() })).json().fromVersion).toBe(1);
    expect((await app.inject({ method: 'GET', url: `/process-drafts/${key}/diff?against=7`, headers: designer() })).statusCode).toBe(404);
    const broken = withWelcomeCall(v1) as unknown as { steps: unknown };
    broken.steps = 'none';
    expect((await saveDraft(key, broken)).statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: `/process-drafts/${key}/diff`, headers: designer() });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
  }, 60_000);

  it('an invalid definition is refused with the path of each error, and nothing is published', async () => {
    const key = uniqueKey('service');
    // Wrong parameter types: the schema answers first, with paths.
    const typed = serviceAs(key) as unknown as { steps: { actions: Record<string, unknown>[] }[] };
    typed.steps[2]!.actions[2]!.dueInDays = 'soon';
    typed.steps[1]!.actions[0]!.kind = 'launchRocket';
    const saved = await saveDraft(key, typed);
    expect(saved.statusCode).toBe(200); // saved as work in progress, flagged
    expect(saved.json().validation.ok).toBe(false);
    const paths1 = saved.json().validation.problems.map((p: { path: string }) => p.path);
    expect(paths1).toEqual(expect.arrayContaining(['/steps/2/actions/2/dueInDays', '/steps/1/actions/0']));
    const refused1 = await publish(key);
    expect(refused1.statusCode).toBe(422);
    expect(refused1.json().errors.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(paths1));

    // References and flow: unknown status, a step that can never run, a dead end, a missing template.
    const d = serviceAs(key);
    d.steps[0]!.to = 'checklist-chosen';
    d.steps[1]!.to = 'nowhere';
    d.statuses.push({ code: 'orphan', label: 'Wees', category: 'new' }, { code: 'stuck', label: 'Vast', category: 'new' });
    d.steps.push({ id: 'from-orphan', label: 'Van wees', from: ['orphan'], to: 'agreed', actions: [] });
    d.steps.push({ id: 'to-stuck', label: 'Naar vast', from: ['in-contact'], to: 'stuck', actions: [] });
    d.steps[3]!.actions[0] = { kind: 'generateDocument', template: 'no-such-template', documentType: 'otd' };
    const validate = async () => (await app.inject({ method: 'POST', url: `/process-drafts/${key}/validate`, headers: designer() })).json();
    await saveDraft(key, d);
    expect((await validate()).problems).toEqual([{ path: '/steps/1/to', message: 'Onbekende status "nowhere"' }, expect.anything()]);
    d.steps[1]!.to = 'portal-invited';
    await saveDraft(key, d);
    const result = await validate();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p: { path: string }) => p.path)).toEqual(['/steps/3/actions/0/template']);
    expect(result.problems[0].message).toBe('Onbekend documentsjabloon "no-such-template"');
    d.steps[3]!.actions[0] = { kind: 'generateDocument', template: 'service-agreement', documentType: 'otd' };
    await saveDraft(key, d);
    const flow = await validate();
    expect(flow.problems).toEqual([
      { path: '/steps/5/from', message: expect.stringMatching(/Stap "from-orphan" kan nooit worden gezet/) },
      { path: '/statuses/7', message: expect.stringMatching(/Status "stuck" heeft geen uitweg/) },
    ]);
    expect(flow.warnings.map((w: { path: string }) => w.path)).toEqual(expect.arrayContaining(['/statuses/6']));
    const refused2 = await publish(key);
    expect(refused2.statusCode).toBe(422);
    expect(refused2.json().errors.map((p: { path: string }) => p.path)).toEqual(['/steps/5/from', '/statuses/7']);

    // Nothing was published for the key.
    expect((await app.inject({ method: 'GET', url: `/process-definitions/${key}/versions`, headers: adviser() })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/process-drafts/${key}`, headers: adviser() })).statusCode).toBe(200);
  });

  it('a dry run of the default mortgage process with a scripted lender reply sequence returns the expected status trail', async () => {
    const key = uniqueKey('mortgage');
    const draft = await saveDraft(key, { ...clone(mortgageProcessV1), productType: key });
    expect(draft.json().validation.ok).toBe(true);
    const started = Date.now();
    const res = await app.inject({
      method: 'POST',
      url: `/process-drafts/${key}/dry-run`,
      headers: designer(),
      payload: {
        script: [
          { step: 'send-application' },
          { lenderMessage: { type: 'SX', statusCode: '09' } },
          { step: 'enter-financing-condition', input: { financingConditionDate: '2099-01-20' } },
          { lenderMessage: { type: 'SX', statusCode: '10' } },
          { lenderMessage: { type: 'SX', statusCode: '22' } },
          { lenderMessage: { type: 'SX', statusCode: '09' } }, // late: recorded, not moved back
          { lenderMessage: { type: 'SX', statusCode: '04' } },
          { lenderMessage: { type: 'SX', statusCode: '23' } },
          { advanceDays: 1 },
          { lenderMessage: { type: 'SX', statusCode: '05' } },
          { lenderMessage: { type: 'SX', statusCode: '20' } },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json();
    expect(run.ok).toBe(true);
    expect(run.statusTrail).toEqual([
      'advies-ontvangen',
      'aanvraag-verstuurd',
      'ontvangst-bevestigd',
      'in-behandeling',
      'renteaanbod',
      'in-acceptatie',
      'bindend-aanbod',
      'definitief-akkoord',
      'lopend',
    ]);
    expect(run).toMatchObject({ finalStatus: 'lopend', finalStatusLabel: 'Lopend (lening in beheer)', finalCategory: 'running', version: 1 });
    expect(run.other.map((o: { kind: string }) => o.kind)).toContain('sendHdnApplication');
    expect(run.history.filter((h: { kind: string }) => h.kind === 'lender')).toHaveLength(8);
    expect(run.mails).toEqual([]);
    console.info(`dry run took ${run.durationMs} ms (request ${Date.now() - started} ms)`);

    // The watchdog: no SX09 within 15 minutes makes a task; a refused step stops the run with its reason.
    const second = await app.inject({
      method: 'POST',
      url: `/process-drafts/${key}/dry-run`,
      headers: designer(),
      payload: { script: [{ step: 'send-application' }, { advanceDays: 1 }, { step: 'send-application' }] },
    });
    const run2 = second.json();
    expect(run2.ok).toBe(false);
    expect(run2.failure).toMatchObject({ index: 2, reason: expect.stringMatching(/niet toegestaan/) });
    expect(run2.tasks.map((t: { title: string }) => t.title)).toEqual([expect.stringMatching(/Geen ontvangstbevestiging/)]);
    expect(run2.statusTrail).toEqual(['advies-ontvangen', 'aanvraag-verstuurd']);
    console.info(`second dry run (environment reused) took ${run2.durationMs} ms`);
  }, 120_000);

  it('a dry run of the service process records the mails, documents and tasks it would make', async () => {
    const key = uniqueKey('service');
    await saveDraft(key, serviceAs(key));
    const res = await app.inject({
      method: 'POST',
      url: `/process-drafts/${key}/dry-run`,
      headers: designer(),
      payload: {
        script: [
          { step: 'choose-checklist', input: { profile: 'ondernemer' } },
          { step: 'send-portal-activation' },
          { step: 'register-contact', input: { channel: 'telefoon', summary: 'Intake', sendReport: true, followUpTask: true, followUpDate: '2099-02-01' } },
          { step: 'create-agreement' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json();
    expect(run.statusTrail).toEqual(['new', 'checklist-chosen', 'portal-invited', 'in-contact', 'agreed']);
    expect(run.mails.map((m: { template: string }) => m.template)).toEqual(['portal-activation', 'conversation-report']);
    expect(run.documents).toEqual([expect.objectContaining({ template: 'service-agreement', documentType: 'opdracht-tot-dienstverlening' })]);
    expect(run.tasks).toEqual([expect.objectContaining({ title: 'Opvolging contactmoment', dueDate: '2099-02-01' })]);
    expect(run.other.map((o: { description: string }) => o.description)).toEqual(
      expect.arrayContaining(['would set the dossier status to client', 'would create the document checklist for profile "ondernemer"']),
    );
  }, 120_000);

  it('templates are versioned: a draft publishes as the next version', async () => {
    const key = uniqueKey('mail');
    const put = await app.inject({
      method: 'PUT',
      url: `/template-drafts/${key}`,
      headers: designer(),
      payload: { kind: 'mail', subject: 'Hallo {{recipient.firstName}}', body: 'Versie een' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/template-drafts/${key}/publish`, headers: designer() })).json()).toEqual({ key, version: 1 });
    await app.inject({ method: 'PUT', url: `/template-drafts/${key}`, headers: designer(), payload: { kind: 'mail', subject: 'Hallo', body: 'Versie twee' } });
    expect((await app.inject({ method: 'POST', url: `/template-drafts/${key}/publish`, headers: designer() })).json()).toEqual({ key, version: 2 });
    const kindChange = await app.inject({ method: 'PUT', url: `/template-drafts/${key}`, headers: designer(), payload: { kind: 'document', body: 'x' } });
    expect(kindChange.statusCode).toBe(422);
    const versions = (await app.inject({ method: 'GET', url: `/templates/${key}/versions`, headers: adviser() })).json();
    expect(versions.items.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
      [1, 'Versie een'],
      [2, 'Versie twee'],
    ]);
    const list = (await app.inject({ method: 'GET', url: '/templates', headers: adviser() })).json();
    expect(list.items.find((t: { key: string }) => t.key === key)).toMatchObject({ kind: 'mail', latestVersion: 2, versions: 2, hasDraft: false });
  });
});
