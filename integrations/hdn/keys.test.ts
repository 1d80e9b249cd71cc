import { describe, expect, it } from 'vitest';
import type { HdnDocumentLine, HdnHeader, HdnMessage } from './types.js';
import { MAX_KEY_LENGTH, inboundKey, outboundKey } from './keys.js';

const header = (over: Partial<HdnHeader> = {}): HdnHeader => ({
  senderNode: '300001',
  receiverNode: '400123',
  messageType: 'SX',
  messageVersion: '24.0',
  sentDate: '2026-03-02',
  sentTime: '10:00:00',
  applicationNumber: '000123',
  applicationVersion: '1',
  ...over,
});
const sx = (code: string, over: Partial<HdnHeader> = {}, documentReference?: string): HdnMessage => ({
  type: 'SX',
  header: header(over),
  statusCode: code,
  ...(documentReference !== undefined ? { documentReference } : {}),
});
const line = (lineId: string, status: string): HdnDocumentLine => ({ lineId, documentKind: '301', status, fetchedByLender: false });
const da = (lines: HdnDocumentLine[]): HdnMessage => ({ type: 'DA', header: header({ messageType: 'DA' }), lines });

describe('outboundKey', () => {
  const ax = header({ messageType: 'AX', senderNode: '400123', receiverNode: '300001' });

  it('is built from type, receiver, sender, application number and version only', () => {
    expect(outboundKey(ax)).toBe('hdn-out|AX|300001|400123|000123|1');
    // Names, times and versions of the message format do not matter: same placement, same key.
    const resent: HdnHeader = { ...ax, sentTime: '11:11:11', senderName: 'x', messageVersion: '25.0' };
    expect(outboundKey(resent)).toBe(outboundKey(ax));
  });

  it.each<[string, Partial<HdnHeader>]>([
    ['type', { messageType: 'DX' }],
    ['receiver', { receiverNode: '300002' }],
    ['sender', { senderNode: '400124' }],
    ['application number', { applicationNumber: '123' }],
    ['application version', { applicationVersion: '2' }],
  ])('changes with the %s', (_name, over) => {
    expect(outboundKey({ ...ax, ...over })).not.toBe(outboundKey(ax));
  });

  it('cannot be confused by separators inside a part', () => {
    expect(outboundKey({ ...ax, applicationNumber: '1|2', applicationVersion: '3' })).not.toBe(
      outboundKey({ ...ax, applicationNumber: '1', applicationVersion: '2|3' }),
    );
  });

  it('takes a discriminator for messages that repeat per application version (DX per line)', () => {
    const dx = { ...ax, messageType: 'DX' as const };
    expect(outboundKey(dx, 'DR-0001#1')).toBe('hdn-out|DX|300001|400123|000123|1|DR-0001%231');
    expect(outboundKey(dx, 'DR-0001#1')).not.toBe(outboundKey(dx, 'DR-0002#1'));
    expect(outboundKey(dx, 'DR-0001#1')).not.toBe(outboundKey(dx));
  });
});

describe('inboundKey', () => {
  it('is the same for a redelivery of the same message', () => {
    expect(inboundKey(sx('10'))).toBe(inboundKey(structuredClone(sx('10'))));
    expect(inboundKey(sx('10'))).toBe('hdn-in|SX|300001|400123|000123|1|2026-03-02|10%3A00%3A00|10|');
  });

  it.each<[string, HdnMessage]>([
    ['another status code', sx('22')],
    ['another send time', sx('10', { sentTime: '10:00:01' })],
    ['another send date', sx('10', { sentDate: '2026-03-03' })],
    ['another sender', sx('10', { senderNode: '300009' })],
    ['another receiver', sx('10', { receiverNode: '400999' })],
    ['another application', sx('10', { applicationNumber: '000124' })],
    ['another application version', sx('10', { applicationVersion: '2' })],
    ['a document reference', sx('10', {}, '02')],
  ])('differs for %s', (_name, other) => {
    expect(inboundKey(other)).not.toBe(inboundKey(sx('10')));
  });

  it('uses the body identity of each type', () => {
    const base = { header: header({ messageType: 'OX' }), loanParts: [], attachments: [] };
    const ox18 = inboundKey({ ...base, type: 'OX', offerNumber: 'OF-1', offerType: '18' });
    expect(ox18).toMatch(/\|OF-1\|18$/);
    expect(inboundKey({ ...base, type: 'OX', offerNumber: 'OF-1', offerType: '00' })).not.toBe(ox18);
    // The offer's dates or attachments are content, not identity.
    expect(inboundKey({ ...base, type: 'OX', offerNumber: 'OF-1', offerType: '18', acceptanceDate: '2026-04-01' })).toBe(ox18);

    const dx = (lineId: string): HdnMessage => ({
      type: 'DX',
      header: header({ messageType: 'DX' }),
      lineId,
      documentKind: '301',
      attachment: { filename: 'a.pdf', contentType: 'application/pdf', contentBase64: '' },
    });
    expect(inboundKey(dx('DR-1'))).not.toBe(inboundKey(dx('DR-2')));

    const ax: HdnMessage = { type: 'AX', header: header({ messageType: 'AX' }), applicants: [], loanParts: [] };
    expect(inboundKey(ax)).toBe('hdn-in|AX|300001|400123|000123|1|2026-03-02|10%3A00%3A00|');
  });

  it('identifies a DA by its lines and their statuses, in any order', () => {
    const list = da([line('DR-1', '01'), line('DR-2', '04')]);
    expect(inboundKey(da([line('DR-2', '04'), line('DR-1', '01')]))).toBe(inboundKey(list));
    expect(inboundKey(da([line('DR-1', '07'), line('DR-2', '04')]))).not.toBe(inboundKey(list));
    expect(inboundKey(da([line('DR-1', '01')]))).not.toBe(inboundKey(list));
    expect(inboundKey(da([line('DR-1=01|DR-2', '04')]))).not.toBe(inboundKey(list));
  });

  it('stays bounded for huge messages, deterministically and distinctly', () => {
    // 500 lines; only the status of the last one varies, far beyond the readable head.
    const many = (lastStatus: string): HdnMessage =>
      da(Array.from({ length: 500 }, (_, i) => line(`8f14e45f-ceea-467f-a0e6-${String(i).padStart(12, '0')}`, i === 499 ? lastStatus : '01')));
    const a = inboundKey(many('01'));
    expect(a.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
    expect(inboundKey(many('01'))).toBe(a);
    const b = inboundKey(many('04'));
    expect(b).not.toBe(a);
    expect(b.slice(0, 400)).toBe(a.slice(0, 400));
    expect(a.startsWith('hdn-in|DA|300001|400123|000123|1|')).toBe(true);
  });
});
