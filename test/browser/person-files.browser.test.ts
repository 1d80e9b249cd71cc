/**
 * Person files, notes by author and the CRM overview, in Chromium against the real platform
 * (issue 19 deliverables 4 and 8): the adviser uploads a file on the person card of someone
 * without a dossier yet (tus through the UI's upload control), moves it to the person's dossier
 * with "Verplaats naar dossier", sees the move in the file's history and the file on the dossier
 * page; sorts the card's notes by author instead of date and adds one; and opens CRM | Overzicht, where the
 * persons row counts what the API counts and links the person made last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

function pdfOf(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  Buffer.from('%PDF-1.7\n', 'latin1').copy(bytes);
  return bytes;
}

describe('Bestanden, notities and Overzicht on the CRM, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Bestandhouder-${suffix}`;
  const n = 1000 + Math.floor(Math.random() * 8999);
  let personId = '';

  it('uploads a file on the card of a person without a dossier, moves it to their new dossier and finds it there', async () => {
    const person = await platform.api.post('/persons', {
      firstName: 'Fenna',
      lastName,
      birthDate: '1985-02-03',
      email: `fenna.${suffix}@example.nl`,
      address: { street: 'Dorpsstraat', houseNumber: n, postcode: `${n}BC`, city: 'Zwolle' },
      allowDuplicate: true,
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    personId = person.body.id as string;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#bestanden`);
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Fenna .*${lastName}`) }).waitFor();
    const files = page.getByRole('region', { name: 'Bestanden' });
    await waitForText(files, /Nog geen bestanden/);
    await files.getByLabel('Bestand toevoegen').setInputFiles({ name: 'kopie-id.pdf', mimeType: 'application/pdf', buffer: pdfOf(150_000) });
    const row = files.getByTestId('person-file').filter({ hasText: 'kopie-id.pdf' });
    await waitForText(row.getByTestId('file-place'), /^Kaart$/);
    expect((await platform.api.get(`/persons/${personId}/files`)).body.items).toHaveLength(1);

    // The dossier comes later; the file moves there.
    const dossier = await platform.api.post(`/persons/${personId}/dossiers`, {});
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    const number = dossier.body.number as string;
    await page.reload();
    await waitForText(row.getByTestId('file-place'), /^Kaart$/);
    await row.getByLabel(/Verplaats naar dossier/).selectOption({ label: `Dossier ${number}` });
    await row.getByRole('button', { name: /^Verplaatsen/ }).click();
    await waitForText(row.getByTestId('file-place'), new RegExp(`Dossier ${number}`));
    await row.getByText(/^Geschiedenis/).click();
    await waitForText(row.getByTestId('file-history'), new RegExp(`verplaatst van de kaart naar dossier ${number} door`));
    const history = (await platform.api.get(`/persons/${personId}/files`)).body.items[0].history as { kind: string; to: { number: string } | null }[];
    expect(history.map((h) => h.kind)).toEqual(['attached', 'moved']);
    expect(history[1]!.to?.number).toBe(number);
    await screenshot(page, 'person-files-moved');

    await row.getByRole('link', { name: `Dossier ${number}` }).click();
    const onDossier = page.getByRole('region', { name: 'Bestanden van de relatiekaart' });
    await waitForText(onDossier, /kopie-id\.pdf/);
    await waitForText(onDossier, new RegExp(`Fenna .*${lastName}`));
    await screenshot(page, 'person-files-on-dossier');
  });

  it('sorts the notes on the card by author instead of date, naming each author', async () => {
    const admin = { authorization: `Bearer ${platform.tokens.admin}` };
    const made: { title: string; author: string }[] = [];
    for (const [title, headers] of [
      [`Oudste ${suffix}`, {}],
      [`Middelste ${suffix}`, admin],
      [`Nieuwste ${suffix}`, {}],
    ] as const) {
      const note = await platform.api.post(`/persons/${personId}/notes`, { title }, headers);
      expect(note.status, JSON.stringify(note.body)).toBe(201);
      made.push({ title, author: '' });
    }
    // The list names each note's author (the credential's name).
    const listed = (await platform.api.get(`/persons/${personId}/notes`)).body.items as { title: string; createdByName?: string }[];
    for (const m of made) m.author = listed.find((l) => l.title === m.title)?.createdByName ?? '';
    expect(new Set(made.map((m) => m.author)).size).toBe(2);
    const byDate = [...made].reverse();
    const byAuthor = [...byDate].sort((a, b) => a.author.toLowerCase().localeCompare(b.author.toLowerCase()));
    expect(byAuthor.map((m) => m.title)).not.toEqual(byDate.map((m) => m.title));

    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#notities`);
    const notes = page.getByRole('region', { name: 'Notities' });
    const titles = () => notes.getByTestId('note').locator('strong').allTextContents();
    await expect.poll(titles, { timeout: 30_000 }).toEqual(byDate.map((m) => m.title));
    expect(await notes.getByTestId('note-author').allTextContents()).toEqual(byDate.map((m) => m.author));
    await notes.getByRole('button', { name: 'Auteur' }).click();
    await expect.poll(titles, { timeout: 30_000 }).toEqual(byAuthor.map((m) => m.title));
    expect(await notes.getByTestId('note-author').allTextContents()).toEqual(byAuthor.map((m) => m.author));
    expect(await notes.getByRole('button', { name: 'Auteur' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'notes-by-author');
    await notes.getByRole('button', { name: 'Datum' }).click();
    await expect.poll(titles, { timeout: 30_000 }).toEqual(byDate.map((m) => m.title));

    // A note added on the card leads the date order, naming the adviser as its author.
    const form = notes.getByRole('form', { name: 'Notitie toevoegen' });
    await form.getByLabel('Titel nieuwe notitie').fill(`Via formulier ${suffix}`);
    await form.getByLabel('Notitie', { exact: true }).fill('Belt na de zomer terug.');
    await form.getByRole('button', { name: 'Notitie toevoegen' }).click();
    await expect.poll(titles, { timeout: 30_000 }).toEqual([`Via formulier ${suffix}`, ...byDate.map((m) => m.title)]);
    expect((await notes.getByTestId('note-author').allTextContents())[0]).toBe(made[0]!.author);
  });

  it('opens CRM | Overzicht: the persons row counts what the API counts and links the person made last', async () => {
    const api = (await platform.api.get('/crm/overview')).body.components as { key: string; count: number; latestCreated: { id: string } | null }[];
    const persons = api.find((c) => c.key === 'persons')!;
    expect(persons.latestCreated?.id).toBe(personId);

    await page.goto(`${platform.api.url}/ui/crm`);
    await page.getByRole('tab', { name: 'Overzicht' }).click();
    const table = page.getByTestId('crm-overview');
    const row = table.getByTestId('overview-persons');
    await waitForText(row.getByTestId('overview-count'), new RegExp(`^${persons.count}$`));
    await waitForText(table.getByTestId('overview-person-files').getByTestId('overview-count'), new RegExp(`^${api.find((c) => c.key === 'person-files')!.count}$`));
    expect(api.find((c) => c.key === 'person-files')!.count).toBeGreaterThanOrEqual(1);
    await waitForText(table.getByTestId('overview-notes'), new RegExp(`Via formulier ${suffix}`));
    await screenshot(page, 'crm-overview');
    await row.getByRole('link', { name: new RegExp(`Fenna .*${lastName}`) }).first().click();
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Fenna .*${lastName}`) }).waitFor();
  });
});
