/**
 * The contract invoicing activities against a real PostgreSQL and a real SMTP peer, for the case
 * the chaos test found: the contract workflow creates an invoice in a local activity and the
 * workflow task is lost before `issueInvoice` is scheduled. The retried task reads the terms
 * again; they must not count the created-but-unissued invoice, so the same period is planned,
 * its invoice comes back (same key, not a second one) and is issued: one PDF, one mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { createBillingActivities } from '../../activities/billing.activities.js';
import type { BillingActivities } from '../../activities/billing.contract.js';
import { createFixture, startSmtpPeer, testDatabase, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let acts: BillingActivities;

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  acts = createBillingActivities({ orm, mailer, settings: { mailFrom: 'Test Advies <noreply@test-advies.nl>' } });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

describe('contract invoicing after a lost workflow task', () => {
  it('an invoice created but not issued is not billed yet: planned again, the same invoice comes back and is issued once', async () => {
    const f = await createFixture(orm);
    const contractId = newId();
    await orm.em.fork().execute(
      `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, payment_method,
         delivery, consumer, workflow_id)
       values (?, ?, ?, ?, 'Servicepakket hypotheek', 2500, 21, 'month', '2026-11-01', 'transfer', 'email', true, ?)`,
      [contractId, f.officeId, f.productId, f.dossierId, `contract:${contractId}`],
    );
    const period = {
      key: `contract:${contractId}:2026-11-01`,
      contractId,
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      billedFrom: '2026-11-01',
      billedUntil: '2026-11-30',
      invoiceDate: '2026-11-01',
    };

    expect((await acts.loadContractTerms({ contractId })).lastBilledUntil).toBeUndefined();
    const created = await acts.createContractInvoice(period);
    expect(created.created).toBe(true);

    // The workflow task that made it is lost: the retry reads the terms again.
    const terms = await acts.loadContractTerms({ contractId });
    expect(terms.active).toBe(true);
    expect(terms.lastBilledUntil).toBeUndefined();
    const again = await acts.createContractInvoice(period);
    expect(again).toMatchObject({ invoiceId: created.invoiceId, number: created.number, created: false });

    await acts.issueInvoice({ invoiceId: again.invoiceId });
    expect((await acts.loadContractTerms({ contractId })).lastBilledUntil).toBe('2026-11-30');

    const invoices = await orm.em
      .fork()
      .execute<{ status: string; pdf_document_id: string | null }[]>(`select status, pdf_document_id from invoices where contract_id = ?`, [contractId]);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.status).toBe('sent');
    expect(invoices[0]?.pdf_document_id).not.toBeNull();
    expect(smtp.received.filter((m) => m.envelopeTo.includes(f.emails[0]))).toHaveLength(1);
  });
});
