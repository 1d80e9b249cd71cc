/**
 * Anonymising a person in the RISK inbox: every stored form (our old <AFD> shape, AFD 1.0, AFD 2.0
 * JSON) loses their name and birth date, and stays readable afterwards (a placeholder date where
 * a date must be). Real PostgreSQL; SYNTHETIC messages and mapping.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { defineRiskAfdMapping, writeRiskAfd } from '../../integrations/risk/afd-mapping.js';
import { writeRiskAfd2Json } from '../../integrations/risk/afd2-json.js';
import { readRisk } from '../../integrations/risk/codec.js';
import syntheticMapping from '../../integrations/risk/fixtures/afd-mapping.synthetic.json' with { type: 'json' };
import { buildLegacyRisk } from '../../integrations/risk/legacy-codec.js';
import type { RiskMessage } from '../../integrations/risk/types.js';
import { anonymiseRiskDataOfPerson } from '../../services/insurance/store.js';
import { needlesOf } from '../../services/privacy/scrub.js';
import { createFixture, testDatabase, type Fixture, type TestDatabase } from './support.js';

let db: TestDatabase;
let orm: MikroORM;
let fx: Fixture;
const mapping = defineRiskAfdMapping(syntheticMapping);

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
  fx = await createFixture(orm);
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.stop();
});

const message = (n: number, relation: RiskMessage['relation']): RiskMessage => ({
  messageId: `SYN-ANON-${n}-${newId().slice(0, 6)}`,
  kind: 'final',
  version: 2,
  eventAt: '2026-11-23T09:15:00.000Z',
  policyNumber: `SYN-POL-${n}`,
  insurerCode: 'RISK',
  branch: 'SYN-AUTO',
  premiumCents: 1000,
  relation,
  coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents: 1000 }],
  documents: [],
});

async function store(m: RiskMessage, raw: string, productId: string | null): Promise<string> {
  const id = newId();
  await orm.em.fork().execute(
    `insert into risk_messages (id, office_id, message_key, kind, policy_number, version, event_at, summary, raw_xml, source, state, product_id)
     values (?, ?, ?, 'final', ?, 2, ?, 'test', ?, 'webhook', 'waiting', ?)`,
    [id, fx.officeId, m.messageId, m.policyNumber, m.eventAt, raw, productId],
  );
  return id;
}

describe('anonymising a person in the RISK inbox', () => {
  it('removes name and birth date from every stored form; each row stays readable', async () => {
    // Person 0 of the fixture: Anna van der Meer, born 1984-05-06.
    const anna = { relationNumber: 'SYN-REL-1', lastName: 'van der Meer', initials: 'A.', birthDate: '1984-05-06' };
    const other = { lastName: 'Zoë-Çelik', birthDate: '1982-12-31' };
    const rows = {
      legacy: await store(message(1, anna), buildLegacyRisk({ ...message(1, anna), branch: '020' }), fx.productId),
      afd1: await store(message(2, anna), writeRiskAfd(message(2, anna), mapping), fx.productId),
      json: await store(message(3, anna), writeRiskAfd2Json(message(3, anna), mapping), fx.productId),
      // Not in their dossier: only what certainly names them (the birth date here) is replaced.
      elsewhere: await store(message(4, anna), writeRiskAfd(message(4, anna), mapping), null),
      someoneElse: await store(message(5, other), writeRiskAfd(message(5, other), mapping), null),
    };
    const needles = needlesOf({
      firstName: 'Anna',
      infix: 'van der',
      lastName: 'Meer',
      birthDate: '1984-05-06',
      email: null,
      phone: null,
      street: null,
      houseNumber: null,
      houseNumberSuffix: null,
      postcode: null,
      city: null,
      debtorNames: [],
      ibans: [],
    });
    await orm.em.fork().transactional((tem) =>
      anonymiseRiskDataOfPerson(tem, { officeId: fx.officeId, personId: fx.personIds[0], dossierIds: [fx.dossierId], needles }),
    );

    const raw = async (id: string) => (await orm.em.fork().execute<{ raw_xml: string }[]>('select raw_xml from risk_messages where id = ?', [id]))[0]!.raw_xml;
    for (const id of [rows.legacy, rows.afd1, rows.json]) {
      const body = await raw(id);
      expect(body).not.toMatch(/19840506|1984-05-06|Meer/);
      const read = readRisk(body, mapping).message;
      expect(read.relation).toMatchObject({ birthDate: '1900-01-01', lastName: 'Geanonimiseerd' });
    }
    const elsewhere = readRisk(await raw(rows.elsewhere), mapping).message;
    expect(elsewhere.relation).toMatchObject({ birthDate: '1900-01-01', lastName: 'van der Meer' });
    expect(readRisk(await raw(rows.someoneElse), mapping).message.relation).toEqual(other);
  });
});
