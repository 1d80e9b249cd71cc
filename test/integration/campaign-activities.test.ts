/**
 * The campaign activities against a real PostgreSQL and a real SMTP peer: an address the SMTP
 * peer refuses for good is that recipient's result (failed, with the reason), the others are
 * mailed, and the batch succeeds; an unreachable peer fails the batch retryably and leaves the
 * recipient pending; a batch run again mails nobody twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { createCampaignActivities } from '../../activities/campaigns.activities.js';
import type { CampaignActivities } from '../../activities/campaigns.contract.js';
import { insertCampaign, insertRecipients } from '../../services/campaigns/store.js';
import { createFixture, startSmtpPeer, testDatabase, type Fixture, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let acts: CampaignActivities;

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  acts = createCampaignActivities({ orm, mailer, mailFrom: 'Test Advies <noreply@test-advies.nl>' });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => orm.em.fork().execute<T[]>(sql, params);
const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

/** A running campaign over both applicants of the fixture's dossier, with the given addresses. */
async function campaignFor(f: Fixture, emails: [string, string]): Promise<string> {
  await rows('update persons set email = ? where id = ?', [emails[0], f.personIds[0]]);
  await rows('update persons set email = ? where id = ?', [emails[1], f.personIds[1]]);
  const campaignId = newId();
  await orm.em.fork().transactional(async (tem) => {
    await insertCampaign(tem, { id: campaignId, officeId: f.officeId, name: 'Najaar', template: 'campaign-newsletter', selection: {}, createdBy: 'test', batchSize: 50, batchIntervalMs: 0 });
    await insertRecipients(
      tem,
      campaignId,
      f.personIds.map((personId) => ({ personId, dossierId: f.dossierId, status: 'pending' as const, reason: null })),
    );
  });
  return campaignId;
}

const recipients = (campaignId: string) =>
  rows<{ person_id: string; status: string; reason: string | null; mail_id: string | null }>(
    'select person_id, status, reason, mail_id from campaign_recipients where campaign_id = ? order by position',
    [campaignId],
  );

describe('sendCampaignBatch', () => {
  it('marks a permanently refused address failed with the reason and mails the others', async () => {
    const f = await createFixture(orm);
    const tag = f.officeId.slice(0, 8);
    const campaignId = await campaignFor(f, [`ok.${tag}@example.nl`, `reject.${tag}@example.nl`]);

    const result = await acts.sendCampaignBatch({ campaignId, batchSize: 10 });
    expect(result).toMatchObject({ processed: 2, sentNow: 1, failedNow: 1, skippedNow: 0, lastRecipientId: f.personIds[1] });
    expect(result.progress).toMatchObject({ total: 2, sent: 1, failed: 1, pending: 0 });
    const [sent, refused] = await recipients(campaignId);
    expect(sent).toMatchObject({ status: 'sent', reason: null });
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused!.reason).toContain('550');
    expect(refused!.mail_id).not.toBeNull();
    expect(mailsTo(`ok.${tag}@example.nl`)).toHaveLength(1);

    // Run again (a retry or a new workflow run): nothing pending, nobody mailed twice.
    expect(await acts.sendCampaignBatch({ campaignId, batchSize: 10 })).toMatchObject({ processed: 0, sentNow: 0, failedNow: 0 });
    expect(mailsTo(`ok.${tag}@example.nl`)).toHaveLength(1);
  });

  it('fails the batch retryably when the SMTP peer defers, leaving the recipient pending', async () => {
    const f = await createFixture(orm);
    const tag = f.officeId.slice(0, 8);
    const campaignId = await campaignFor(f, [`defer.${tag}@example.nl`, `ok2.${tag}@example.nl`]);
    const err = await acts.sendCampaignBatch({ campaignId, batchSize: 10 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('MailUnavailable');
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((await recipients(campaignId)).map((r) => r.status)).toEqual(['pending', 'pending']);
  });
});
