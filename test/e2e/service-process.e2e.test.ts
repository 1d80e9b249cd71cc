/**
 * The service (*dienst*) process end to end, over HTTP only, against the real parts: the
 * Temporal dev server, PostgreSQL, the SMTP peer, a worker running as its own OS process and
 * the API listening on a real port. Halfway through, the worker is killed with SIGKILL and
 * started again: the walk must finish and no mail may arrive twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;

beforeAll(async () => {
  platform = await startE2ePlatform();
});

afterAll(async () => {
  await platform?.stop();
});

describe('service process, prospect to client, over HTTP', () => {
  it('walks every step, survives a killed worker and mails exactly once', async () => {
    const { api } = platform;
    const suffix = Math.random().toString(36).slice(2, 8);
    const email = `anna.${suffix}@example.nl`;

    const dossier = await api.post('/dossiers', {
      applicants: [
        {
          person: {
            firstName: 'Anna',
            lastName: `Jansen-${suffix}`,
            birthDate: '1990-04-12',
            email,
            address: { street: 'Dorpsstraat', houseNumber: 12, postcode: '3511 AB', city: 'Utrecht' },
          },
        },
      ],
    });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    const dossierId = dossier.body.id as string;
    expect(dossier.body.status).toBe('prospect');

    const created = await api.post(`/dossiers/${dossierId}/products`, {
      type: 'service',
      parts: [{ description: 'Hypotheekadvies' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const productId = created.body.id as string;

    let product = await api.get(`/products/${productId}`);
    expect(product.body.status).toBe('new');
    expect(product.body.category).toBe('new');
    expect(stepIds(product.body)).toEqual(expect.arrayContaining(['choose-checklist', 'cancel']));

    // A step that is not allowed now is refused with the reason and changes nothing.
    const refused = await api.post(`/products/${productId}/steps/create-agreement`, {});
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
    expect(String(refused.body.detail)).toMatch(/niet toegestaan/i);
    const unchanged = await api.get(`/products/${productId}`);
    expect(unchanged.body.status).toBe('new');
    // (The workflow's own start entry may land in the history meanwhile; steps may not.)
    expect(stepsIn(unchanged.body)).toEqual([]);

    const step1 = await api.post(`/products/${productId}/steps/choose-checklist`, { input: { profile: 'loondienst' } });
    expect(step1.status, JSON.stringify(step1.body)).toBe(200);
    expect(step1.body.product.status).toBe('checklist-chosen');

    const step2 = await api.post(`/products/${productId}/steps/send-portal-activation`, {});
    expect(step2.status, JSON.stringify(step2.body)).toBe(200);
    expect(step2.body.product.status).toBe('portal-invited');

    // Kill the worker while the next step is on its way, then start it again.
    const pending = api.post(`/products/${productId}/steps/register-contact`, {
      input: {
        channel: 'telefoon',
        summary: 'Wensen en budget besproken; stukken volgen.',
        sendReport: true,
        followUpTask: true,
        followUpDate: '2026-12-15',
      },
    });
    await platform.killWorker();
    await platform.startWorker();
    const step3 = await pending;
    expect(step3.status, JSON.stringify(step3.body)).toBe(200);
    expect(step3.body.product.status).toBe('in-contact');

    // A retried HTTP call with the same Idempotency-Key takes the step once.
    const idem = { 'idempotency-key': `agree-${suffix}` };
    const step4 = await api.post(`/products/${productId}/steps/create-agreement`, {}, idem);
    expect(step4.status, JSON.stringify(step4.body)).toBe(200);
    expect(step4.body.product.status).toBe('agreed');
    const step4again = await api.post(`/products/${productId}/steps/create-agreement`, {}, idem);
    expect(step4again.status).toBe(200);

    product = await api.get(`/products/${productId}`);
    expect(product.body.status).toBe('agreed');
    expect(product.body.category).toBe('running');
    expect(stepsIn(product.body)).toEqual(['choose-checklist', 'send-portal-activation', 'register-contact', 'create-agreement']);
    for (const part of product.body.parts as { id: string }[]) {
      const partState = await api.get(`/products/${productId}/parts/${part.id}`);
      expect(partState.status).toBe(200);
      expect(partState.body.category).toBe('running');
    }

    const finalDossier = await api.get(`/dossiers/${dossierId}`);
    expect(finalDossier.body.status).toBe('client');

    // The agreement is a real PDF in the dossier's documents.
    const documents = await api.get(`/dossiers/${dossierId}/documents`);
    const agreement = (documents.body.items as { id: string; documentType: string }[]).find(
      (d) => d.documentType === 'opdracht-tot-dienstverlening',
    );
    expect(agreement).toBeDefined();
    const pdf = await api.getBytes(`/documents/${agreement!.id}`);
    expect(pdf.contentType).toBe('application/pdf');
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const parsed = await PDFDocument.load(pdf.bytes);
    expect(parsed.getPageCount()).toBeGreaterThanOrEqual(1);

    // Exactly one activation mail and one conversation report reached the SMTP peer.
    const received = (await platform.mailsTo(email)).map((m) => m.subject);
    expect(received.filter((s) => /activ/i.test(s))).toHaveLength(1);
    expect(received.filter((s) => /gespreksverslag/i.test(s))).toHaveLength(1);
    expect(received).toHaveLength(2);

    // The follow-up task exists once.
    const tasks = await api.get(`/tasks?dossierId=${dossierId}`);
    expect((tasks.body.items as unknown[]).length).toBe(1);

    // The dossier view (one statement) lists exactly what the separate list routes list.
    const mails = await api.get(`/mails?dossierId=${dossierId}`);
    expect(finalDossier.body.documents).toEqual(documents.body.items);
    expect(finalDossier.body.tasks).toEqual(tasks.body.items);
    expect(finalDossier.body.mails).toEqual(mails.body.items);
    expect((finalDossier.body.mails as unknown[]).length).toBe(2);
    expect(finalDossier.body.products).toEqual([expect.objectContaining({ id: productId, status: 'agreed', category: 'running' })]);
    expect((finalDossier.body.applicants as { person: { email: string } }[])[0]?.person.email).toBe(email);

    // Temporal knows the workflow by its business key.
    const description = await platform.describeWorkflow(`product:${productId}`);
    expect(description.type).toBe('productWorkflow');
  });
});

describe('bad input over HTTP changes nothing', () => {
  it('answers 400, 401, 403 and 404 as problem+json', async () => {
    const { api } = platform;
    const before = await api.get('/dossiers?limit=100');
    expect(before.status).toBe(200);

    const malformed = await fetch(`${api.url}/dossiers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.tokens.adviser}`, 'content-type': 'application/json' },
      body: '{"applicants": [',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');

    const anonymous = await fetch(`${api.url}/dossiers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');

    const designer = await api.post('/dossiers', { applicants: [] }, { authorization: `Bearer ${platform.tokens.designer}` });
    expect(designer.status).toBe(403);
    expect(designer.contentType).toContain('application/problem+json');

    const unknown = await api.post('/dossiers/00000000-0000-7000-8000-000000000000/products', { type: 'service', parts: [{ description: 'x' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toContain('application/problem+json');
    expect(String(unknown.body.detail ?? unknown.body.title)).toMatch(/dossier/i);

    const after = await api.get('/dossiers?limit=100');
    expect(after.body.total ?? after.body.items.length).toBe(before.body.total ?? before.body.items.length);
  });
});

function stepsIn(body: { history: { stepId?: string }[] }): string[] {
  return body.history.map((h) => h.stepId).filter((id): id is string => Boolean(id));
}

function stepIds(body: { availableSteps: { id: string }[] }): string[] {
  return body.availableSteps.map((s) => s.id);
}
