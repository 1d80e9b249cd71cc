import { describe, expect, it } from 'vitest';
import { classifyMailError, MailFailure } from './errors.js';
import { messageIdFor, domainOf } from './transport.js';

describe('classifyMailError', () => {
  it('5xx is permanent, 4xx and connection errors are retryable', () => {
    expect(classifyMailError({ responseCode: 550, response: '550 no such user' })).toMatchObject({ retryable: false, type: MailFailure.Rejected });
    expect(classifyMailError({ responseCode: 451, response: '451 later' })).toMatchObject({ retryable: true, type: MailFailure.Unavailable });
    expect(classifyMailError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toMatchObject({ retryable: true });
    expect(classifyMailError({ code: 'EENVELOPE', message: 'No recipients defined' })).toMatchObject({ retryable: false });
  });
});

describe('messageIdFor', () => {
  it('is deterministic per key and differs between keys', () => {
    expect(messageIdFor('a#1', 'x.nl')).toBe(messageIdFor('a#1', 'x.nl'));
    expect(messageIdFor('a#1', 'x.nl')).not.toBe(messageIdFor('a#2', 'x.nl'));
    expect(messageIdFor('a#1', 'x.nl')).toMatch(/^<df\.[0-9a-f]{40}@x\.nl>$/);
    expect(domainOf('Demo <noreply@demo-advies.nl>')).toBe('demo-advies.nl');
  });
});
