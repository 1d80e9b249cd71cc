/**
 * Every page of the web UI in Chromium (issue 20, deliverable 7 and "screenshots of every
 * page"): with real data made through the API (a dossier with a product and a contract, a CRM
 * card with a note, a signal, a property, an indicator, a relation, an identification and an
 * organisation, an overdue invoice with a reminder run, a waiting RISK message, a login notice,
 * an invitation and a client portal link), each page (and each tab of the CRM card) gets
 * - axe-core: no serious or critical violations,
 * - the keyboard walk: Tab goes through it in document order with a visible focus and leaves it
 *   at the end (no trap); the skip link moves the focus to the main content,
 * - a full-page screenshot in test-results/screenshots (docs/screenshots with
 *   DOCS_SCREENSHOTS=1, `npm run screenshots`).
 * The routes are read from ui/src/main.tsx and the card's tabs from PersonCardTabs.tsx: a new
 * page or tab without a case here fails the first test.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { ensureActiveUser } from '../../services/access/users.js';
import { writeSimAfd1 } from '../../simulators/risk/index.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { createTestOffice, openOrm } from '../api/support.js';
import { expectKeyboardUsable, focusedId, focusedText, expectNoSeriousAxeViolations, openBrowserPlatform, screenshotDir, signInWithPassword, waitForText, type BrowserPlatform } from './support.js';

/** docs/screenshots for the README (`npm run screenshots`), else the git-ignored test-results. */
const forDocs = process.env.DOCS_SCREENSHOTS === '1';
const shotDir = forDocs ? path.join(projectRoot, 'docs', 'screenshots') : screenshotDir;

/** docs/screenshots/README.md: one line per screenshot, in the order of the cases. */
function writeIndex(): void {
  const lines = [
    '# Screenshots of every page',
    '',
    'Written by `npm run screenshots` (test/browser/every-page.browser.test.ts with `DOCS_SCREENSHOTS=1`): Chromium, 1280 px wide,',
    'full page, with data the test makes through the API. The same test runs axe-core (no serious or critical violations) and',
    'a keyboard walk on each page; without the flag it writes the screenshots to test-results/screenshots (git-ignored).',
    '',
    '| Page | Route | Screenshot |',
    '| --- | --- | --- |',
    ...cases.map((c) => `| ${c.title} | \`${c.route}\` | [${c.name}.png](${c.name}.png) |`),
    '',
  ];
  writeFileSync(path.join(shotDir, 'README.md'), lines.join('\n'));
}

/** The routes the UI answers, as ui/src/main.tsx spells them (`path === '…'` and `match('…', path)`). */
function routesOfMain(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/path === '(\/[^']*)'|match\('(\/[^']*)'/g)) found.add((m[1] ?? m[2])!);
  return [...found].sort();
}

/** The tab keys of the CRM card (PersonCardTabs.tsx). */
function cardTabKeys(source: string): string[] {
  return [...source.matchAll(/\{\s*key: '([a-z-]+)'/g)].map((m) => m[1]!);
}

interface Fixture {
  dossierId: string;
  dossierNumber: string;
  personId: string;
  lastName: string;
  organisationId: string;
  organisationName: string;
  runId: string;
  policyNumber: string;
  invitationUrl: string;
  portalLink: string;
  notice: string;
  noteTitle: string;
  signalTitle: string;
  participantOfficeId: string;
  participantName: string;
}

interface PageCase {
  /** The route of main.tsx this case covers. */
  route: string;
  /** What the page is, for docs/screenshots/README.md. */
  title: string;
  /** Screenshot file name (without .png). */
  name: string;
  url: (f: Fixture) => string;
  /** Waits until the page shows its data. */
  ready: (page: Page, f: Fixture) => Promise<void>;
  /** Signed-in pages have the skip link and the main navigation. */
  signedIn: boolean;
}

const h1 = (name: string | RegExp) => async (page: Page) => page.getByRole('heading', { name, level: 1 }).waitFor({ timeout: 30_000 });
const text = (pattern: (f: Fixture) => RegExp) => async (page: Page, f: Fixture) => waitForText(page.locator('main'), pattern(f));

const cardTabs: { key: string; label: string; ready: (f: Fixture) => RegExp }[] = [
  { key: 'gegevens', label: 'Gegevens', ready: (f) => new RegExp(f.lastName) },
  { key: 'eigenschappen', label: 'Eigenschappen', ready: () => /Bron/ },
  { key: 'indicatoren', label: 'Indicatoren', ready: () => /Lead/ },
  { key: 'relaties', label: 'Relaties', ready: () => /Partner/i },
  { key: 'gezin', label: 'Gezin', ready: () => /Gezin/ },
  { key: 'organisaties', label: 'Organisaties', ready: (f) => new RegExp(f.organisationName) },
  { key: 'notities', label: 'Notities', ready: (f) => new RegExp(f.noteTitle) },
  { key: 'signaleringen', label: 'Signaleringen', ready: (f) => new RegExp(f.signalTitle) },
  { key: 'identificatie', label: 'Identificatie', ready: () => /Paspoort/i },
  { key: 'bestanden', label: 'Bestanden', ready: () => /Bestanden/ },
  { key: 'mail', label: 'Contact', ready: () => /Contactmomenten/ },
  { key: 'historie', label: 'Wijzigingshistorie', ready: () => /Wijzigingshistorie/ },
];

const cases: PageCase[] = [
  { route: '/login', name: 'inloggen', title: 'Inloggen (met melding)', url: () => '/ui/login', ready: async (page, f) => waitForText(page.getByRole('region', { name: 'Meldingen' }), new RegExp(f.notice)), signedIn: false },
  { route: '/', name: 'dashboard', title: 'Dashboard', url: () => '/ui/', ready: text((f) => new RegExp(f.notice)), signedIn: true },
  { route: '/dossiers', name: 'dossiers', title: 'Dossiers', url: () => '/ui/dossiers', ready: text((f) => new RegExp(f.dossierNumber)), signedIn: true },
  { route: '/dossiers/new', name: 'dossier-nieuw', title: 'Nieuw dossier', url: () => '/ui/dossiers/new', ready: h1(/dossier/i), signedIn: true },
  { route: '/dossiers/:id', name: 'dossier', title: 'Dossier met product', url: (f) => `/ui/dossiers/${f.dossierId}`, ready: text(() => /Hypotheekadvies/), signedIn: true },
  { route: '/crm', name: 'crm-relaties', title: 'CRM: Relaties', url: () => '/ui/crm', ready: h1('CRM – relaties'), signedIn: true },
  { route: '/crm', name: 'crm-zoekvragen', title: 'CRM: Zoekvragen', url: () => '/ui/crm#zoekvragen', ready: h1('CRM – relaties'), signedIn: true },
  { route: '/crm', name: 'crm-overzicht', title: 'CRM: Overzicht', url: () => '/ui/crm#overzicht', ready: h1('CRM – relaties'), signedIn: true },
  ...cardTabs.map(
    (t): PageCase => ({
      route: '/crm/persons/:id',
      name: `relatiekaart-${t.key}`,
      title: `Relatiekaart: ${t.label}`,
      url: (f) => `/ui/crm/persons/${f.personId}${t.key === 'gegevens' ? '' : `#${t.key}`}`,
      ready: async (page, f) => waitForText(page.getByRole('tabpanel'), t.ready(f)),
      signedIn: true,
    }),
  ),
  { route: '/crm/organisations', name: 'organisaties', title: 'Organisaties', url: () => '/ui/crm/organisations', ready: text((f) => new RegExp(f.organisationName)), signedIn: true },
  { route: '/crm/organisations/:id', name: 'organisatie', title: 'Organisatie', url: (f) => `/ui/crm/organisations/${f.organisationId}`, ready: text((f) => new RegExp(f.lastName)), signedIn: true },
  { route: '/track-and-trace', name: 'track-and-trace', title: 'Track & Trace', url: () => '/ui/track-and-trace', ready: text((f) => new RegExp(f.dossierNumber)), signedIn: true },
  { route: '/billing', name: 'facturatie', title: 'Facturatie', url: () => '/ui/billing', ready: text((f) => new RegExp(f.lastName)), signedIn: true },
  { route: '/billing/runs/:id', name: 'aanmaningsrun', title: 'Aanmaningsrun', url: (f) => `/ui/billing/runs/${f.runId}`, ready: text(() => /Eerste herinnering/), signedIn: true },
  { route: '/processes', name: 'processen', title: 'Processen (ontwerp)', url: () => '/ui/processes', ready: text(() => /Dienst/), signedIn: true },
  { route: '/risk', name: 'risk-inbox', title: 'RISK-inbox', url: () => '/ui/risk', ready: text((f) => new RegExp(f.policyNumber)), signedIn: true },
  { route: '/rc', name: 'saldo-rc', title: 'Saldo RC (centrale organisatie)', url: () => '/ui/rc', ready: text((f) => new RegExp(f.participantName)), signedIn: true },
  { route: '/rc/participants/:id', name: 'saldo-rc-deelnemer', title: 'Saldo RC van een deelnemer', url: (f) => `/ui/rc/participants/${f.participantOfficeId}`, ready: text(() => /1\.234,56/), signedIn: true },
  { route: '/admin', name: 'beheer', title: 'Beheer', url: () => '/ui/admin', ready: h1('Beheer'), signedIn: true },
  { route: '/users', name: 'gebruikers', title: 'Gebruikers', url: () => '/ui/users', ready: text(() => /Uitgenodigd/), signedIn: true },
  { route: '/account', name: 'mijn-account', title: 'Mijn account', url: () => '/ui/account', ready: h1('Mijn account'), signedIn: true },
  { route: '/portal', name: 'klantportaal', title: 'Klantportaal', url: (f) => `/portal/activate/${f.portalLink}`, ready: text(() => /Loonstrook|loonstrook|Werkgeversverklaring|werkgever/), signedIn: false },
  { route: '/uitnodiging', name: 'uitnodiging', title: 'Uitnodiging (wachtwoord kiezen)', url: (f) => f.invitationUrl, ready: h1('Wachtwoord kiezen'), signedIn: false },
];

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;
let orm: MikroORM;
const run = newId().slice(0, 6);
const user = { email: `alles-${run}@browser.example`, password: 'elke-pagina-met-het-toetsenbord', name: 'Toon Toetsenbord' };
let fixture: Fixture;

// The answers are JSON of many shapes, read as a client would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(what: string, result: Promise<{ status: number; body: any }>, status = 201): Promise<any> {
  const r = await result;
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

/** The data that makes every page show real content. */
async function makeFixture(): Promise<Fixture> {
  const { api } = platform;
  const admin = { authorization: `Bearer ${platform.tokens.admin}` };
  const designer = { authorization: `Bearer ${platform.tokens.designer}` };
  const lastName = `Toegankelijk-${run}`;
  const email = `tess.${run}@example.nl`;
  const notice = `Onderhoud ${run}`;
  await ok('notice', api.post('/login-notices', { severity: 'maintenance', message: notice, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString() }, admin));

  const dossier = await ok(
    'dossier',
    api.post('/dossiers', { applicants: [{ person: { firstName: 'Tess', lastName, birthDate: '1986-04-05', email, address: { street: 'Dorpsstraat', houseNumber: 7, postcode: '3511AB', city: 'Utrecht' } } }] }),
  );
  const personId = dossier.applicants[0].person.id as string;
  const partner = await ok('partner', api.post('/dossiers', { applicants: [{ person: { firstName: 'Pim', lastName: `Partner-${run}`, birthDate: '1985-01-02' } }] }));
  await ok('relation', api.post(`/persons/${personId}/relations`, { personId: partner.applicants[0].person.id, type: 'partner' }));
  const product = await ok('product', api.post(`/dossiers/${dossier.id}/products`, { type: 'service', company: `Bank ${run}`, parts: [{ description: 'Hypotheekadvies' }] }));

  // The CRM card: a property, an indicator, a note, a signal, an identification.
  const source = await ok('property', api.post('/crm/properties', { key: `bron-${run}`, label: `Bron ${run}`, type: 'choice', choices: ['Website', 'Beurs'] }, admin));
  await ok('property value', platform.send(`/persons/${personId}/properties/${source.key}`, { method: 'PUT', contentType: 'application/json', body: JSON.stringify({ value: 'Beurs' }), token: platform.tokens.adviser! }), 200);
  const lead = await ok('indicator', api.post('/crm/indicators', { label: `Lead ${run}` }, admin));
  await ok('indicators', platform.send(`/persons/${personId}/indicators`, { method: 'PUT', contentType: 'application/json', body: JSON.stringify({ indicatorIds: [lead.id] }), token: platform.tokens.adviser! }), 200);
  const noteTitle = `Belt liever 's avonds ${run}`;
  await ok('note', api.post(`/persons/${personId}/notes`, { title: noteTitle, text: 'Na 18:00 bellen.', priority: 'high', alwaysFirst: true }));
  const signalTitle = `Rentevaste periode loopt af ${run}`;
  await ok('signal', api.post(`/persons/${personId}/signals`, { title: signalTitle, date: addDays(todayInAmsterdam(new Date()), 30) }));
  await ok('identification', platform.send(`/persons/${personId}/identification`, { method: 'PUT', contentType: 'application/json', body: JSON.stringify({ method: 'in_person', documentType: 'paspoort', documentNumber: 'NX12345678', validUntil: '2031-01-01' }), token: platform.tokens.adviser! }), 200);

  // An organisation with the person as contact.
  const organisationName = `Notariskantoor ${run}`;
  const organisation = await ok('organisation', api.post('/organisations', { kind: 'notary', name: organisationName }));
  await ok('contact', api.post(`/organisations/${organisation.id}/contacts`, { personId, role: 'notary' }));

  // Billing: a contract, an overdue invoice and a reminder run on it.
  const today = todayInAmsterdam(new Date());
  const creditor = { name: 'E2E Advies B.V.', iban: `NL${ibanCheckDigits('NL', 'ABNA0417164300')}ABNA0417164300`, creditorId: `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000` };
  await ok('billing settings', platform.send('/billing/settings', { method: 'PUT', token: platform.tokens.admin!, contentType: 'application/json', body: JSON.stringify({ reminderMode: 'module', paymentTermDays: 14, creditor }) }), 200);
  const group = await ok('action group', api.post('/billing/action-groups', { name: `Herinneringen ${run}`, actions: [{ name: 'Eerste herinnering', type: 'letter', template: 'reminder-letter', daysAfterDue: 7, statusAfter: 'reminded' }] }, designer));
  const contract = await ok(
    'contract',
    api.post(`/products/${product.id}/contract`, { description: 'Abonnement financieel advies', amountCents: 2500, vatRate: 21, period: 'month', startDate: addDays(today, 60), paymentMethod: 'transfer', delivery: 'letter' }),
  );
  const invoiceId = newId();
  const due = addDays(today, -20);
  await orm.em.fork().execute(
    `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
       net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2500, 525, 3025, 'sent', 'transfer', 'letter', ?)`,
    [invoiceId, `test:${invoiceId}`, platform.officeId, contract.id, dossier.id, product.id, `2026-A${run.toUpperCase()}`, addDays(due, -14), due, addDays(due, -14), addDays(due, 16), `invoice:${invoiceId}`],
  );
  const reminderRun = await ok('reminder run', api.post('/billing/reminder-runs', { actionGroupId: group.id, actionIndex: 0, invoiceIds: [invoiceId] }, { 'idempotency-key': newId() }));

  // RISK: a message for a holder no dossier knows waits in the inbox.
  const policyNumber = `POL-${run}`;
  await ok(
    'risk message',
    platform.send('/risk/messages', {
      token: platform.tokens.risk!,
      contentType: 'application/xml',
      body: writeSimAfd1({
        reference: `MSG-${run}`,
        kind: 'final',
        version: 1,
        eventAt: new Date().toISOString(),
        policyNumber,
        insurer: 'RISK',
        branch: '021',
        startDate: '2027-02-01',
        premiumCents: 1995,
        holder: { lastName: `Onbekend-${run}`, birthDate: '1950-01-01' },
        coverages: [{ code: 'INB', description: 'Inboedel', premiumCents: 1995 }],
        documents: [],
      }),
    }),
    202,
  );

  // An invitation (Gebruikers shows it; its link opens the invitation page).
  const invitation = await ok('invitation', api.post('/users', { email: `nieuw-${run}@browser.example`, name: 'Nienke Nieuw', roles: ['adviser'] }, admin));

  // The client portal: the checklist is chosen and the activation mail sent.
  for (const [stepId, input] of [
    ['choose-checklist', { profile: 'loondienst' }],
    ['send-portal-activation', {}],
  ] as const) {
    await ok(stepId, api.post(`/products/${product.id}/steps/${stepId}`, { input }), 200);
  }
  let portalLink = '';
  for (const deadline = Date.now() + 30_000; !portalLink; await new Promise((r) => setTimeout(r, 500))) {
    if (Date.now() > deadline) throw new Error(`no portal activation mail for ${email}`);
    const mails = await platform.mailsTo(email);
    portalLink = /\/portal\/activate\/([A-Za-z0-9_-]+)/.exec(mails.map((m) => m.text).join('\n'))?.[1] ?? '';
  }

  // The office as the central organisation of one participant with a commission (Saldo RC).
  const participantName = `Deelnemer ${run}`;
  const participant = await createTestOffice(orm, participantName);
  await ok('central organisation', platform.send('/rc/organisation', { method: 'PUT', contentType: 'application/json', body: JSON.stringify({ iban: `NL${ibanCheckDigits('NL', 'ABNA0417164300')}ABNA0417164300` }), token: platform.tokens.admin! }), 200);
  await ok('participant', platform.send(`/rc/participants/${participant.officeId}`, { method: 'PUT', contentType: 'application/json', body: JSON.stringify({ mayViewOverview: true }), token: platform.tokens.admin! }), 204);
  await ok('commission', api.post('/rc/commissions', { participantOfficeId: participant.officeId, reference: `EP-${run}`, productType: 'mortgage', amountCents: 1234_56, entryDate: todayInAmsterdam(new Date()) }, admin), 200);

  return {
    participantOfficeId: participant.officeId,
    participantName,
    dossierId: dossier.id,
    dossierNumber: dossier.number,
    personId,
    lastName,
    organisationId: organisation.id,
    organisationName,
    runId: reminderRun.id,
    policyNumber,
    invitationUrl: invitation.invitationUrl,
    portalLink,
    notice,
    noteTitle,
    signalTitle,
  };
}

beforeAll(async () => {
  if (forDocs) {
    // A page that is gone leaves no screenshot behind.
    mkdirSync(shotDir, { recursive: true });
    for (const f of readdirSync(shotDir)) if (f.endsWith('.png')) rmSync(path.join(shotDir, f));
  }
  session = await openBrowserPlatform();
  ({ platform, page } = session);
  orm = await openOrm();
  await ensureActiveUser(orm.em.fork(), platform.officeId, { ...user, roles: ['adviser', 'designer', 'admin'] });
  fixture = await makeFixture();
}, 240_000);

afterAll(async () => {
  if (forDocs) writeIndex();
  await session?.close();
  await orm?.close(true);
});

describe('every page of the web UI, in Chromium', () => {
  it('has a case for every route of ui/src/main.tsx and every tab of the CRM card', () => {
    const routes = routesOfMain(readFileSync(path.join(projectRoot, 'ui', 'src', 'main.tsx'), 'utf8'));
    expect(routes.length).toBeGreaterThan(10);
    expect([...new Set(cases.map((c) => c.route))].sort()).toEqual(routes);
    const tabs = cardTabKeys(readFileSync(path.join(projectRoot, 'ui', 'src', 'components', 'crm', 'PersonCardTabs.tsx'), 'utf8'));
    expect(cardTabs.map((t) => t.key)).toEqual(tabs);
  });

  let signedIn = false;
  for (const c of cases) {
    it(`${c.name} (${c.route}): no serious axe violations, usable with the keyboard, screenshot`, async () => {
      if (c.signedIn && !signedIn) {
        await signInWithPassword(page, platform.api.url, user.email, user.password);
        signedIn = true;
      }
      // A fresh load each time: the focus starts at the top (a change of the hash alone would not reload).
      await page.goto('about:blank');
      await page.goto(`${platform.api.url}${c.url(fixture)}`);
      await c.ready(page, fixture);
      await expect.poll(() => page.getByText(/ laden…$/).count(), { timeout: 30_000 }).toBe(0);
      await expectNoSeriousAxeViolations(page, c.name);
      mkdirSync(shotDir, { recursive: true });
      await page.screenshot({ path: path.join(shotDir, `${c.name}.png`), fullPage: true });
      await page.goto('about:blank');
      await page.goto(`${platform.api.url}${c.url(fixture)}`);
      await c.ready(page, fixture);
      await expect.poll(() => page.getByText(/ laden…$/).count(), { timeout: 30_000 }).toBe(0);
      await expectKeyboardUsable(page, c.name, { skipLink: c.signedIn });
    }, 120_000);
  }

  it('the main navigation works with the keyboard', async () => {
    await page.goto(`${platform.api.url}/ui/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    // Tab from the skip link into the menu, to Dossiers, and Enter opens it.
    await page.keyboard.press('Tab');
    for (let i = 0; i < 10 && !(await nav.getByRole('link', { name: 'Dossiers' }).evaluate((el) => el === el.ownerDocument.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dossiers', level: 1 }).waitFor();
    await expect.poll(() => nav.getByRole('link', { name: 'Dossiers' }).getAttribute('aria-current')).toBe('page');
  });

  it('the tabs of the CRM card work with the arrow keys, Home and End, and keep the tab in the URL', async () => {
    await page.goto(`${platform.api.url}/ui/crm/persons/${fixture.personId}`);
    const tablist = page.getByRole('tablist', { name: 'Relatiekaart' });
    await tablist.getByRole('tab', { name: 'Gegevens', selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedText(page)).toBe('Eigenschappen');
    expect(new URL(page.url()).hash).toBe('#eigenschappen');
    await waitForText(page.getByRole('tabpanel'), /Bron/);
    await page.keyboard.press('End');
    await expect.poll(() => focusedText(page)).toBe('Wijzigingshistorie');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedText(page)).toBe('Gegevens');
    expect(new URL(page.url()).hash).toBe('');
    // The skip link keeps the chosen tab (it moves the focus, it does not change the hash).
    await page.keyboard.press('End');
    await page.getByRole('link', { name: 'Naar de inhoud' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('main');
    await tablist.getByRole('tab', { name: 'Wijzigingshistorie', selected: true }).waitFor();
  });
});
