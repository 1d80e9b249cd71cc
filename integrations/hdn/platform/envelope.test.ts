/**
 * The HDN platform envelope: round trip (facts and bytes survive), and every refusal names the
 * field at fault. The XML inside is a SYNTHETIC placeholder: the envelope does not read it.
 */
import { describe, expect, it } from 'vitest';
import {
  decodePlatformEnvelope,
  encodePlatformEnvelope,
  envelopeHeaderMismatches,
  PlatformEnvelopeError,
  type PlatformMessageFacts,
} from './envelope.js';
import { transportFor } from './router.js';
import { nodeOfCertificate } from './node-certificate.js';

const facts: PlatformMessageFacts = {
  messageType: 'SX',
  senderNode: 'LND001',
  receiverNode: 'DFL001',
  applicationNumber: 'A-2026-0042',
  applicationVersion: '3',
};
const xml = '<?xml version="1.0" encoding="UTF-8"?><!-- synthetic --><SX><Naam>Zoë &amp; Ærø €</Naam></SX>';

function valid(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(encodePlatformEnvelope(facts, xml))) as Record<string, unknown>;
}

/** A copy of a valid envelope with one change at `path` (undefined = removed). */
function changed(path: string[], value: unknown): Record<string, unknown> {
  const env = valid();
  let at = env as Record<string, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return env;
}

describe('HDN platform envelope', () => {
  it('round trip: the facts map to the public fields and the XML bytes come back unchanged', () => {
    const env = encodePlatformEnvelope(facts, xml);
    expect(env.header.requestSchema).toEqual({ messageType: 'SX', receiverCode: 'DFL001', requestVersion: 3, requestTraceNumber: 'A-2026-0042' });
    expect(env.header.senderCode).toBe('LND001');
    const back = decodePlatformEnvelope(JSON.parse(JSON.stringify(env)), { maxXmlBytes: 1024 });
    expect(back.facts).toEqual(facts);
    expect(back.xml.toString('utf8')).toBe(xml);
  });

  it('keeps unknown fields of a newer platform out of the way', () => {
    const env = valid();
    (env.header as Record<string, unknown>).platformTimestamp = '2026-12-06T10:00:00Z';
    env.metadata = { anything: true };
    expect(decodePlatformEnvelope(env, { maxXmlBytes: 1024 }).facts).toEqual(facts);
  });

  const refusals: { name: string; body: unknown; path: string }[] = [
    { name: 'not an object', body: 'SX', path: '' },
    { name: 'no header', body: changed(['header'], undefined), path: '/header' },
    { name: 'no requestSchema', body: changed(['header', 'requestSchema'], undefined), path: '/header/requestSchema' },
    { name: 'unknown messageType', body: changed(['header', 'requestSchema', 'messageType'], 'ZX'), path: '/header/requestSchema/messageType' },
    { name: 'receiverCode not a node', body: changed(['header', 'requestSchema', 'receiverCode'], 'DFL-01'), path: '/header/requestSchema/receiverCode' },
    { name: 'requestVersion 0', body: changed(['header', 'requestSchema', 'requestVersion'], 0), path: '/header/requestSchema/requestVersion' },
    { name: 'requestVersion as text', body: changed(['header', 'requestSchema', 'requestVersion'], '3'), path: '/header/requestSchema/requestVersion' },
    { name: 'requestVersion fraction', body: changed(['header', 'requestSchema', 'requestVersion'], 1.5), path: '/header/requestSchema/requestVersion' },
    { name: 'empty requestTraceNumber', body: changed(['header', 'requestSchema', 'requestTraceNumber'], ''), path: '/header/requestSchema/requestTraceNumber' },
    { name: 'requestTraceNumber with a space', body: changed(['header', 'requestSchema', 'requestTraceNumber'], 'A 1'), path: '/header/requestSchema/requestTraceNumber' },
    { name: 'no senderCode', body: changed(['header', 'senderCode'], undefined), path: '/header/senderCode' },
    { name: 'no payload', body: changed(['payload'], undefined), path: '/payload' },
    { name: 'payload not XML', body: changed(['payload', 'contentType'], 'application/pdf'), path: '/payload/contentType' },
    { name: 'payload not base64 encoded', body: changed(['payload', 'encoding'], 'utf8'), path: '/payload/encoding' },
    { name: 'payload data not base64', body: changed(['payload', 'data'], '<SX>no</SX>'), path: '/payload/data' },
    { name: 'payload data with line breaks', body: changed(['payload', 'data'], 'PFNY\nPjwvU1g+'), path: '/payload/data' },
    { name: 'payload larger than allowed', body: changed(['payload', 'data'], Buffer.alloc(2048, 'a').toString('base64')), path: '/payload/data' },
  ];
  it.each(refusals)('refuses $name at $path', ({ body, path }) => {
    let caught: unknown;
    try {
      decodePlatformEnvelope(body, { maxXmlBytes: 1024 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlatformEnvelopeError);
    expect((caught as PlatformEnvelopeError).path).toBe(path);
  });

  it.each([
    { name: 'version not a number', change: { applicationVersion: 'v2' } },
    { name: 'version 0', change: { applicationVersion: '0' } },
    { name: 'application number with a space', change: { applicationNumber: 'A 1' } },
    { name: 'sender not a node', change: { senderNode: 'L1' } },
  ])('refuses to send an envelope with $name', ({ change }) => {
    expect(() => encodePlatformEnvelope({ ...facts, ...change }, xml)).toThrow(PlatformEnvelopeError);
  });

  const header = { messageType: 'SX', senderNode: 'LND001', receiverNode: 'DFL001', applicationNumber: 'A-2026-0042', applicationVersion: '3' };
  it.each([
    { name: 'agree', header, expected: [] as string[] },
    { name: 'agree with a leading-zero version', header: { ...header, applicationVersion: '03' }, expected: [] },
    { name: 'type differs', header: { ...header, messageType: 'OX' }, expected: ['messageType'] },
    { name: 'sender differs', header: { ...header, senderNode: 'LND002' }, expected: ['senderCode'] },
    { name: 'receiver differs', header: { ...header, receiverNode: 'DFL002' }, expected: ['receiverCode'] },
    { name: 'application differs', header: { ...header, applicationNumber: 'A-2026-0043' }, expected: ['requestTraceNumber'] },
    { name: 'version differs', header: { ...header, applicationVersion: '2' }, expected: ['requestVersion'] },
  ])('envelope against the XML header: $name', ({ header: h, expected }) => {
    const problems = envelopeHeaderMismatches(facts, h);
    expect(problems.map((p) => p.split(' ')[0])).toEqual(expected);
  });
});

describe('transport choice and node certificates', () => {
  it.each([
    { defaultTransport: 'xml' as const, platformNodes: [], node: 'LND001', expected: 'xml' },
    { defaultTransport: 'xml' as const, platformNodes: ['LND002'], node: 'LND002', expected: 'platform' },
    { defaultTransport: 'xml' as const, platformNodes: ['LND002'], node: 'LND001', expected: 'xml' },
    { defaultTransport: 'platform' as const, platformNodes: [], node: 'LND001', expected: 'platform' },
    { defaultTransport: 'platform' as const, platformNodes: [], node: undefined, expected: 'platform' },
  ])('$defaultTransport default, platform nodes $platformNodes: $node goes over $expected', ({ node, expected, ...opts }) => {
    expect(transportFor(opts, node)).toBe(expected);
  });

  it.each([
    { subject: { CN: 'LND001' }, expected: 'LND001' },
    { subject: { CN: 'LND001', O: 'Bank' }, expected: 'LND001' },
    { subject: { CN: 'lender.example.nl' }, expected: undefined },
    { subject: { CN: ['LND001', 'LND002'] }, expected: undefined },
    { subject: { O: 'Bank' }, expected: undefined },
  ])('node of a certificate with subject $subject: $expected', ({ subject, expected }) => {
    expect(nodeOfCertificate({ subject } as never)).toBe(expected);
  });
});
