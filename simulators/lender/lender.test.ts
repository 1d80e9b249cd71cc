/**
 * The simulated lender against a real loopback HTTP receiver standing in for the platform's
 * inbound HDN endpoint: everything it sends is parsed with the real codec. Order, not time, is
 * asserted: waits go through `waitFor` with generous timeouts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { buildPublicHdn } from '../../integrations/hdn/write.js';
import { lenderMessageXml } from './public-xml.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import type { HdnApplication, HdnDocumentDelivery, HdnHeader, HdnMessage } from '../../integrations/hdn/types.js';
import { LenderConfigError, lenderOptionsFromEnv } from './env.js';
import { startLenderSimulator, type LenderSimulator, type LenderSimulatorOptions } from './simulator.js';
import type { ApplicationView } from './state.js';

const INBOUND_TOKEN = 'lender-inbound-secret';
const DELIVER_TOKEN = 'platform-inbound-secret';
const PLATFORM_NODE = 'INT001';
const WAIT = 20_000;

// ---- the platform stand-in -------------------------------------------------------------------

interface Arrival {
  message: HdnMessage;
  xml: string;
}

/** Parses what arrives; answers 200, or what a test queued for that application (e.g. 503 once). */
class PlatformReceiver {
  readonly arrivals: Arrival[] = [];
  readonly refusedByUs: { applicationNumber: string; status: number }[] = [];
  readonly problems: string[] = [];
  private readonly queued = new Map<string, number[]>();
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hdn/inbound`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, xml: string): void {
    if (req.headers.authorization !== `Bearer ${DELIVER_TOKEN}`) {
      this.problems.push(`bad authorization: ${req.headers.authorization ?? '(none)'}`);
      res.writeHead(401).end();
      return;
    }
    if (!req.headers['content-type']?.startsWith('application/xml')) this.problems.push(`content-type ${req.headers['content-type'] ?? ''}`);
    let message: HdnMessage;
    try {
      message = readHdnMessage(xml);
    } catch (err) {
      this.problems.push(`unparsable: ${String(err)}`);
      res.writeHead(400).end(String(err));
      return;
    }
    const status = this.queued.get(message.header.applicationNumber)?.shift();
    if (status !== undefined) {
      this.refusedByUs.push({ applicationNumber: message.header.applicationNumber, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`simulated ${status}`);
      return;
    }
    this.arrivals.push({ message, xml });
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
  }

  /** The next answers for messages of `applicationNumber`, before it goes back to accepting. */
  answerNext(applicationNumber: string, ...statuses: number[]): void {
    this.queued.set(applicationNumber, statuses);
  }

  of(applicationNumber: string): HdnMessage[] {
    return this.arrivals.filter((a) => a.message.header.applicationNumber === applicationNumber).map((a) => a.message);
  }

  /** The XML as it arrived, of one type, in arrival order. */
  xmlOf(applicationNumber: string, type: HdnMessage['type']): string[] {
    return this.arrivals.filter((a) => a.message.header.applicationNumber === applicationNumber && a.message.type === type).map((a) => a.xml);
  }

  /** "SX09", "OX18", "DA:requested", ... in arrival order. */
  sequence(applicationNumber: string): string[] {
    return this.of(applicationNumber).map(label);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function label(m: HdnMessage): string {
  switch (m.type) {
    case 'SX':
      return `SX${m.statusCode}`;
    case 'OX':
      return `OX${m.offerType}`;
    case 'DA':
      return m.lines.every((l) => l.status === '04') ? 'DA:approved' : 'DA:requested';
    default:
      return m.type;
  }
}

// ---- what the platform sends -----------------------------------------------------------------

function header(messageType: HdnHeader['messageType'], applicationNumber: string, extra: Partial<HdnHeader> = {}): HdnHeader {
  return {
    senderNode: PLATFORM_NODE,
    receiverNode: 'LND001',
    senderName: 'Dossierflow Tussenstation',
    receiverName: 'Voorbeeld Hypotheken N.V.',
    messageType,
    messageVersion: '24.0',
    receiverCode: 'VBH',
    sentDate: '2026-11-23',
    sentTime: '10:15:00',
    packageName: 'dossierflow',
    packageVersion: '0.1.0',
    applicationNumber,
    applicationVersion: '1',
    ...extra,
  };
}

function axXml(applicationNumber: string, extra: Partial<HdnHeader> = {}): string {
  const ax: HdnApplication = {
    type: 'AX',
    header: header('AX', applicationNumber, extra),
    applicants: [{ position: 1, firstName: 'Anna', lastName: 'Jansen', birthDate: '1990-04-01' }],
    property: { postcode: '1234AB', houseNumber: 12, city: 'Utrecht', purchasePriceCents: 45_000_000 },
    loanParts: [
      { number: '1', repaymentType: 'annuiteit', amountCents: 30_000_000, durationMonths: 360, fixedRateMonths: 120 },
      { number: '2', repaymentType: 'aflossingsvrij', amountCents: 10_000_000, durationMonths: 360, fixedRateMonths: 60 },
    ],
    nhg: false,
  };
  return buildPublicHdn(ax);
}

function dxXml(applicationNumber: string, lineId: string, documentKind: string): string {
  const dx: HdnDocumentDelivery = {
    type: 'DX',
    header: header('DX', applicationNumber),
    lineId,
    documentKind,
    attachment: { filename: `${documentKind}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 test').toString('base64') },
  };
  return buildPublicHdn(dx);
}

async function post(lender: LenderSimulator, body: string, token: string | null = INBOUND_TOKEN): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(lender.inboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/xml; charset=utf-8', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const finished = (applicationNumber: string) => (app: ApplicationView) => app.applicationNumber === applicationNumber && app.state === 'finished';

const HAPPY = ['SX09', 'SX10', 'DA:requested', 'OX18', 'SX22', 'SX12', 'SX04', 'OX00', 'SX23', 'SX05', 'SX31', 'SX26', 'SX20'];

// ---- tests -----------------------------------------------------------------------------------

const receiver = new PlatformReceiver();
let lender: LenderSimulator;
const extraLenders: LenderSimulator[] = [];

function options(overrides: Partial<LenderSimulatorOptions> = {}): LenderSimulatorOptions {
  return {
    port: 0,
    inboundToken: INBOUND_TOKEN,
    deliverTo: { url: receiver.url, token: DELIVER_TOKEN },
    stepDelayMs: 0,
    sx09DelayMs: 0,
    retry: { initialMs: 20, maxMs: 200 },
    log: () => undefined,
    ...overrides,
  };
}

async function startExtra(overrides: Partial<LenderSimulatorOptions>): Promise<LenderSimulator> {
  const extra = await startLenderSimulator(options(overrides));
  extraLenders.push(extra);
  return extra;
}

beforeAll(async () => {
  await receiver.start();
  lender = await startLenderSimulator(options());
});

afterEach(() => {
  expect(receiver.problems).toEqual([]);
});

afterAll(async () => {
  await Promise.all([lender.stop(), ...extraLenders.map((l) => l.stop())]);
  await receiver.stop();
});

describe('lender simulator: the happy flow', () => {
  it('answers an AX with the full sequence, every reply tied to the application', async () => {
    const ack = await post(lender, axXml('A-HAPPY-1'));
    expect(ack.status).toBe(202);
    expect(ack.json).toMatchObject({ status: 'accepted', messageType: 'AX', applicationNumber: 'A-HAPPY-1', applicationVersion: '1', scenario: 'happy' });

    const view = await lender.waitFor(finished('A-HAPPY-1'), WAIT);
    expect(receiver.sequence('A-HAPPY-1')).toEqual(HAPPY);
    expect(view.messages.map((m) => `${m.type}${m.code ?? ''}`)).toEqual(HAPPY.map((l) => (l.startsWith('DA') ? 'DA' : l)));
    expect(view.messages.every((m) => m.delivered && m.attempts === 1)).toBe(true);

    for (const m of receiver.of('A-HAPPY-1')) {
      expect(m.header).toMatchObject({
        senderNode: 'LND001',
        receiverNode: PLATFORM_NODE,
        senderName: 'Voorbeeld Hypotheken N.V.',
        messageVersion: '24.0',
        applicationNumber: 'A-HAPPY-1',
        applicationVersion: '1',
      });
      expect(m.header.sentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.header.sentTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    }
  });

  it('sends offers with loan parts in decimal euros and codes, dates and a real PDF, and a DA with one line it fetched itself', async () => {
    const messages = receiver.of('A-HAPPY-1');
    const rateOffer = messages.find((m) => m.type === 'OX' && m.offerType === '18');
    const binding = messages.find((m) => m.type === 'OX' && m.offerType === '00');
    if (rateOffer?.type !== 'OX' || binding?.type !== 'OX') throw new Error('offers missing');

    const today = todayInAmsterdam(new Date());
    // Read by the platform's reader from the lender's own public-structure XML: AflossingsVorm as
    // codes (01 annuity, 05 interest-only), LeningDeelBedrag in decimal euros. No rate: the public
    // sources name no element for it (left out rather than guessed).
    expect(rateOffer.loanParts).toEqual([
      { number: '1', repaymentType: '01', amountCents: 30_000_000, durationMonths: 360, fixedRateMonths: 120 },
      { number: '2', repaymentType: '05', amountCents: 10_000_000, durationMonths: 360, fixedRateMonths: 60 },
    ]);
    const xml = receiver.xmlOf('A-HAPPY-1', 'OX')[0]!;
    expect(xml).toMatch(/^<\?xml[^>]*>\n<OX>\n {2}<Header>/);
    expect(xml).toContain('<LeningDeelBedrag>300000.00</LeningDeelBedrag>');
    expect(xml).toMatch(/<OfferteData>\n\s*<Kenmerk>[^<]+<\/Kenmerk>\n\s*<OfferteType>18<\/OfferteType>/);
    expect(xml).toContain('<VerlengingMogelijkJN>J</VerlengingMogelijkJN>');
    // Dates relative to "today": the test may straddle midnight, so accept either day.
    expect([addDays(today, 14), addDays(today, 15)]).toContain(rateOffer.acceptanceDate);
    expect(rateOffer.validityDate! > addDays(today, 110)).toBe(true);
    expect(binding.validityDate).toBe(rateOffer.validityDate);
    expect(binding.offerNumber).not.toBe(rateOffer.offerNumber);

    const pdf = Buffer.from(rateOffer.attachments[0]!.contentBase64, 'base64').toString('latin1');
    expect(rateOffer.attachments[0]).toMatchObject({ contentType: 'application/pdf' });
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    // The xref offset the trailer names points at the xref table.
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');

    const sx22 = messages.find((m) => m.type === 'SX' && m.statusCode === '22');
    expect(sx22?.type === 'SX' && sx22.offerNumber).toBe(rateOffer.offerNumber);

    const da = messages.find((m) => m.type === 'DA');
    if (da?.type !== 'DA') throw new Error('DA missing');
    // SoortDocument as codes: 009 and 003 are public, 901-903 the simulator's own (unknown to the platform, recorded).
    expect(da.lines.map((l) => l.documentKind)).toEqual(['009', '901', '003', '902', '903']);
    // DocumentStatus 01 (to be delivered) has no public code: unverified in 24.0, recorded too.
    expect(da.codes?.map((c) => `${c.field} ${c.status} ${c.code}`)).toEqual([
      'lines[1].status unverified 01',
      'lines[2].documentKind unknown 901',
      'lines[2].status unverified 01',
      'lines[3].status unverified 01',
      'lines[4].documentKind unknown 902',
      'lines[4].status unverified 01',
      'lines[5].documentKind unknown 903',
    ]);
    expect(da.lines.filter((l) => l.fetchedByLender).map((l) => l.lineId)).toEqual(['DA-05']);
  });

  it('acknowledges the same AX again without starting a second flow', async () => {
    const xml = axXml('A-DUP-AX', { receiverCode: 'rejected' });
    const [first, second] = await Promise.all([post(lender, xml), post(lender, xml)]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    expect([first.json.status, second.json.status].sort()).toEqual(['accepted', 'duplicate']);

    await lender.waitFor(finished('A-DUP-AX'), WAIT);
    const third = await post(lender, xml);
    expect(third.status).toBe(200);
    expect(receiver.sequence('A-DUP-AX')).toEqual(['SX09', 'SX10', 'SX11']);
    const views = lender.applications().filter((a) => a.applicationNumber === 'A-DUP-AX');
    expect(views).toHaveLength(1);
    expect(views[0]!.axReceived).toBe(3);
  });
});

describe('lender simulator: refusals', () => {
  it('401 without the right bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const res = await post(lender, axXml('A-AUTH'), token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(lender.applications().some((a) => a.applicationNumber === 'A-AUTH')).toBe(false);
  });

  it('400 with the codec message for garbage and for XML that is no HDN message', async () => {
    const garbage = await post(lender, 'this is <not xml');
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject({ status: 400, title: 'Invalid HDN message' });
    expect(String(garbage.json.detail).length).toBeGreaterThan(0);

    const notHdn = await post(lender, '<?xml version="1.0"?><Bestelling><Id>1</Id></Bestelling>');
    expect(notHdn.status).toBe(400);
  });

  it('400 for a message addressed to another node, and for message types a lender does not receive', async () => {
    const otherNode = await post(lender, axXml('A-OTHER', { receiverNode: 'LND999' }));
    expect(otherNode.status).toBe(400);
    expect(String(otherNode.json.detail)).toContain('LND999');

    const sx = lenderMessageXml({ type: 'SX', header: header('SX', 'A-SX'), statusCode: '09' });
    expect((await post(lender, sx)).status).toBe(400);
  });

  it('404 and 405 outside the API', async () => {
    expect((await fetch(`${lender.url}/nope`)).status).toBe(404);
    expect((await fetch(lender.inboundUrl)).status).toBe(405);
  });
});

describe('lender simulator: scenarios', () => {
  it("'rejected' ends with 11", async () => {
    await post(lender, axXml('A-REJ', { receiverCode: 'rejected' }));
    await lender.waitFor(finished('A-REJ'), WAIT);
    expect(receiver.sequence('A-REJ')).toEqual(['SX09', 'SX10', 'SX11']);
    const sx11 = receiver.of('A-REJ').at(-1);
    // The lender's reason travels as a second StatusTekstRegels line.
    expect(sx11?.type === 'SX' && sx11.description).toMatch(/^Afgewezen\nAanvraag past niet binnen het acceptatiebeleid/);
  });

  it("'cannot-process' and 'technical-error' still answer", async () => {
    await post(lender, axXml('A-CANNOT', { receiverCode: 'cannot-process' }));
    await post(lender, axXml('A-TECH', { receiverCode: 'technical-error' }));
    await lender.waitFor(finished('A-CANNOT'), WAIT);
    await lender.waitFor(finished('A-TECH'), WAIT);
    expect(receiver.sequence('A-CANNOT')).toEqual(['SX14']);
    expect(receiver.sequence('A-TECH')).toEqual(['SX25']);
  });

  it("'reordered' delivers SX10 before SX09 and SX22 before the rate offer", async () => {
    await post(lender, axXml('A-REORDER', { receiverCode: 'reordered' }));
    await lender.waitFor(finished('A-REORDER'), WAIT);
    expect(receiver.sequence('A-REORDER')).toEqual(['SX10', 'SX09', 'DA:requested', 'SX22', 'OX18', 'SX12', 'SX04', 'OX00', 'SX23', 'SX05', 'SX31', 'SX26', 'SX20']);
  });

  it("'duplicates' delivers every message twice, byte for byte", async () => {
    await post(lender, axXml('A-TWICE', { receiverCode: 'duplicates' }));
    const view = await lender.waitFor(finished('A-TWICE'), WAIT);
    expect(receiver.sequence('A-TWICE')).toEqual(HAPPY.flatMap((l) => [l, l]));
    const xmls = receiver.arrivals.filter((a) => a.message.header.applicationNumber === 'A-TWICE').map((a) => a.xml);
    for (let i = 0; i < xmls.length; i += 2) expect(xmls[i + 1]).toBe(xmls[i]);
    expect(view.messages.map((m) => m.copy)).toEqual(HAPPY.flatMap(() => [1, 2]));
  });

  it('PUT /admin/scenario changes the default for following applications only', async () => {
    const bad = await fetch(`${lender.url}/admin/scenario`, { method: 'PUT', body: JSON.stringify({ scenario: 'nonsense', stepDelayMs: -1 }) });
    expect(bad.status).toBe(400);
    const detail = String(((await bad.json()) as { detail: string }).detail);
    expect(detail).toContain('scenario must be one of');
    expect(detail).toContain('stepDelayMs');

    const ok = await fetch(`${lender.url}/admin/scenario`, { method: 'PUT', body: JSON.stringify({ scenario: 'technical-error', stepDelayMs: 0 }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ scenario: 'technical-error', stepDelayMs: 0 });
    try {
      await post(lender, axXml('A-DEFAULT'));
      await lender.waitFor(finished('A-DEFAULT'), WAIT);
      expect(receiver.sequence('A-DEFAULT')).toEqual(['SX25']);
    } finally {
      await fetch(`${lender.url}/admin/scenario`, { method: 'PUT', body: JSON.stringify({ scenario: 'happy' }) });
    }
  });
});

describe('lender simulator: documents', () => {
  it('waitForDocuments: waits for a DX per line it did not fetch itself, then approves and goes on', async () => {
    const docs = await startExtra({ waitForDocuments: true });
    await post(docs, axXml('A-DOCS'));
    const waiting = await docs.waitFor((a) => a.applicationNumber === 'A-DOCS' && a.state === 'waiting-for-documents', WAIT);
    expect(waiting.documentLines.map((l) => l.lineId)).toEqual(['DA-01', 'DA-02', 'DA-03', 'DA-04', 'DA-05']);
    expect(receiver.sequence('A-DOCS')).toEqual(['SX09', 'SX10', 'DA:requested', 'OX18', 'SX22', 'SX12']);

    const kinds = Object.fromEntries(waiting.documentLines.map((l) => [l.lineId, l.documentKind]));
    for (const lineId of ['DA-01', 'DA-02', 'DA-03']) {
      const res = await post(docs, dxXml('A-DOCS', lineId, kinds[lineId]!));
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: 'accepted', messageType: 'DX', lineId });
    }
    // The line the lender fetched itself (BKR) may not get a DX, and an unknown line is refused.
    const fetched = await post(docs, dxXml('A-DOCS', 'DA-05', 'overzicht-leningen'));
    expect(fetched.status).toBe(400);
    expect(String(fetched.json.detail)).toContain('fetched by the lender');
    expect((await post(docs, dxXml('A-DOCS', 'DA-99', 'x'))).status).toBe(400);
    expect((await post(docs, dxXml('A-NO-SUCH-APP', 'DA-01', 'x'))).status).toBe(400);

    const stillWaiting = docs.applications().find((a) => a.applicationNumber === 'A-DOCS')!;
    expect(stillWaiting.state).toBe('waiting-for-documents');
    expect(stillWaiting.dxReceived).toEqual(['DA-01', 'DA-02', 'DA-03']);
    expect(receiver.sequence('A-DOCS')).not.toContain('SX04');

    await post(docs, dxXml('A-DOCS', 'DA-04', kinds['DA-04']!));
    await docs.waitFor(finished('A-DOCS'), WAIT);
    expect(receiver.sequence('A-DOCS')).toEqual([
      'SX09', 'SX10', 'DA:requested', 'OX18', 'SX22', 'SX12',
      'DA:approved',
      'SX04', 'OX00', 'SX23', 'SX05', 'SX31', 'SX26', 'SX20',
    ]);
  });
});

describe('lender simulator: delivery', () => {
  it('retries a delivery the platform answered 503, then goes on', async () => {
    receiver.answerNext('A-RETRY', 503);
    await post(lender, axXml('A-RETRY', { receiverCode: 'rejected' }));
    const view = await lender.waitFor(finished('A-RETRY'), WAIT);
    expect(receiver.refusedByUs).toContainEqual({ applicationNumber: 'A-RETRY', status: 503 });
    expect(receiver.sequence('A-RETRY')).toEqual(['SX09', 'SX10', 'SX11']);
    expect(view.messages[0]).toMatchObject({ code: '09', delivered: true, attempts: 2, status: 202 });
  });

  it('takes a 4xx as final: logged, not retried, the flow goes on', async () => {
    receiver.answerNext('A-REFUSED', 422);
    await post(lender, axXml('A-REFUSED', { receiverCode: 'rejected' }));
    const view = await lender.waitFor(finished('A-REFUSED'), WAIT);
    expect(receiver.sequence('A-REFUSED')).toEqual(['SX10', 'SX11']);
    expect(view.messages[0]).toMatchObject({ code: '09', delivered: false, attempts: 1, status: 422 });
    expect(view.messages[0]!.error).toContain('simulated 422');
  });

  it('stop() cancels pending steps and retries that would otherwise go on for a long time', async () => {
    const slow = await startExtra({ stepDelayMs: 3_600_000 });
    await post(slow, axXml('A-SLOW'));
    await slow.waitFor((a) => a.applicationNumber === 'A-SLOW' && a.messages.length === 1 && a.messages[0]!.delivered, WAIT);

    const stubborn = await startExtra({ retry: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    receiver.answerNext('A-STUBBORN', 503);
    await post(stubborn, axXml('A-STUBBORN'));
    await stubborn.waitFor((a) => a.applicationNumber === 'A-STUBBORN' && a.messages[0]?.attempts === 1, WAIT);

    await Promise.all([slow.stop(), stubborn.stop()]);
    expect(slow.applications()[0]!.state).toBe('stopped');
    expect(stubborn.applications()[0]!.state).toBe('stopped');
    expect(receiver.sequence('A-SLOW')).toEqual(['SX09']);
    expect(receiver.sequence('A-STUBBORN')).toEqual([]);
    await expect(slow.waitFor(() => true, 1_000)).rejects.toThrow(/stopped/);
  });
});

describe('lender simulator: versions and admin views', () => {
  it('a new application version supersedes the old one; an older version after a newer one is refused', async () => {
    const docs = await startExtra({ waitForDocuments: true });
    await post(docs, axXml('A-VERSIONS'));
    await docs.waitFor((a) => a.applicationNumber === 'A-VERSIONS' && a.state === 'waiting-for-documents', WAIT);
    expect((await post(docs, axXml('A-VERSIONS', { applicationVersion: '2', receiverCode: 'rejected' }))).status).toBe(202);
    await docs.waitFor((a) => a.applicationNumber === 'A-VERSIONS' && a.applicationVersion === '2' && a.state === 'finished', WAIT);
    expect(docs.applications().find((a) => a.applicationVersion === '1' && a.applicationNumber === 'A-VERSIONS')!.state).toBe('superseded');
    const v2 = receiver.of('A-VERSIONS').filter((m) => m.header.applicationVersion === '2');
    expect(v2.map(label)).toEqual(['SX09', 'SX10', 'SX11']);

    await post(docs, axXml('A-NEWER-FIRST', { applicationVersion: '3', receiverCode: 'technical-error' }));
    const older = await post(docs, axXml('A-NEWER-FIRST', { applicationVersion: '2' }));
    expect(older.status).toBe(409);
    await docs.waitFor(finished('A-NEWER-FIRST'), WAIT);
  });

  it('GET /admin/applications and GET / show applications, messages and DX', async () => {
    const list = (await (await fetch(`${lender.url}/admin/applications`)).json()) as ApplicationView[];
    const happy = list.find((a) => a.applicationNumber === 'A-HAPPY-1')!;
    expect(happy).toMatchObject({ applicationVersion: '1', scenario: 'happy', state: 'finished', senderNode: PLATFORM_NODE });
    expect(happy.messages[0]).toMatchObject({ seq: 1, type: 'SX', code: '09', delivered: true });
    expect(typeof happy.messages[0]!.at).toBe('string');
    expect(happy.dxReceived).toEqual([]);

    const page = await fetch(`${lender.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('A-HAPPY-1');
    expect(html).toContain('LND001');
  });
});

describe('lender simulator: settings from the environment', () => {
  const base = {
    LENDER_INBOUND_TOKEN: 'in',
    LENDER_DELIVER_URL: 'http://127.0.0.1:3000/hdn/inbound',
    LENDER_DELIVER_TOKEN: 'out',
  };

  it('defaults', () => {
    expect(lenderOptionsFromEnv(base)).toMatchObject({
      port: 8090,
      nodeNumber: 'LND001',
      scenario: 'happy',
      stepDelayMs: 2000,
      sx09DelayMs: 1000,
      waitForDocuments: false,
      inboundToken: 'in',
      deliverTo: { url: 'http://127.0.0.1:3000/hdn/inbound', token: 'out' },
    });
    expect(lenderOptionsFromEnv({ ...base, LENDER_PORT: '0', LENDER_SCENARIO: 'reordered', LENDER_STEP_DELAY_MS: '0' })).toMatchObject({
      port: 0,
      scenario: 'reordered',
      stepDelayMs: 0,
    });
  });

  it('names every bad or missing value', () => {
    let error: unknown;
    try {
      lenderOptionsFromEnv({ LENDER_PORT: '99999', LENDER_DELIVER_URL: 'ftp://x', LENDER_SCENARIO: 'sunny', LENDER_STEP_DELAY_MS: 'soon' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LenderConfigError);
    const message = (error as LenderConfigError).message;
    for (const name of ['LENDER_PORT', 'LENDER_INBOUND_TOKEN', 'LENDER_DELIVER_URL', 'LENDER_DELIVER_TOKEN', 'LENDER_SCENARIO', 'LENDER_STEP_DELAY_MS']) {
      expect(message).toContain(name);
    }
  });
});
