/**
 * One writer per table (docs/ARCHITECTURE.md): every table of the schema is owned by exactly one
 * `services/<feature>/store.ts`, which says so in its `ownedTables`, and no other module of the
 * platform writes it: no SQL `insert into` / `update` / `delete from` / `truncate` of the table
 * in a string of any other module, and no MikroORM write (`em.create`, `em.insert*`,
 * `em.nativeUpdate`, `em.nativeDelete`, `em.upsert*`, `insertIfAbsent`, a query builder's
 * insert/update/delete) of its entity, and no anonymisation of it (`scrubRows(em, '<table>', ...)`).
 *
 * Scanned: the platform's own code (everything but tests, benchmarks and migrations, which
 * create the schema). Tables come from the migrations, so a new table without an owner fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { entities } from '../../db/entities/index.js';

const scanned = ['domain', 'config', 'integrations', 'db', 'services', 'activities', 'workflows', 'api', 'scripts', 'simulators'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = scanned.flatMap((d) => walk(path.join(projectRoot, d)));
const rel = (p: string) => path.relative(projectRoot, p);

/** Every table the migrations create. */
function schemaTables(): string[] {
  const dir = path.join(projectRoot, 'migrations');
  const found = new Set<string>();
  const dropped = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    const up = readFileSync(path.join(dir, f), 'utf8').split(/\bdown\s*\(/)[0] ?? '';
    for (const m of up.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) found.add(m[1]!.toLowerCase());
    for (const m of up.matchAll(/drop\s+table\s+(?:if\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi)) dropped.add(m[1]!.toLowerCase());
  }
  return [...found].filter((t) => !dropped.has(t)).sort();
}

/** The code without comments, so that prose ("update the row") is not read as SQL. */
function withoutComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The text of every string and template literal (template expressions blanked). */
function literals(code: string): string[] {
  const out: string[] = [];
  const re = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\[\s\S])*`/g;
  for (const m of code.matchAll(re)) out.push(m[0].slice(1, -1).replace(/\$\{[^}]*\}/g, ' '));
  return out;
}

const sqlWrite = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const notTables = new Set(['set', 'of', 'on', 'to', 'the', 'a', 'it', 'an', 'for', 'with', 'in', 'and', 'or', 'is', 'from', 'nowait', 'skip']);

const entityTables = new Map<string, string>(
  entities.map((e) => {
    const meta = (e as unknown as { meta: { className: string; tableName?: string; collection?: string } }).meta;
    return [meta.className, (meta.tableName ?? meta.collection ?? '').toLowerCase()];
  }),
);
const ormWrite =
  /\b(?:\.create|\.insert|\.insertMany|\.nativeUpdate|\.nativeDelete|\.upsert|\.upsertMany|insertIfAbsent\(\s*\w+\s*,|createQueryBuilder)\(\s*([A-Z]\w*)\b/g;

interface Write {
  table: string;
  file: string;
  how: string;
}

/** Local names of the entities a module imports (`import { Person as PersonEntity }`). */
function entityAliases(code: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'[^']*entities[^']*'/g)) {
    for (const part of m[1]!.split(',')) {
      const [name, local] = part.replace(/\btype\s+/, '').split(/\s+as\s+/).map((s) => s.trim());
      const table = name ? entityTables.get(name) : undefined;
      if (table) aliases.set(local ?? name!, table);
    }
  }
  return aliases;
}

function writesIn(file: string): Write[] {
  const code = withoutComments(readFileSync(file, 'utf8'));
  const tableOf = entityAliases(code);
  const out: Write[] = [];
  for (const text of literals(code)) {
    for (const m of text.matchAll(sqlWrite)) {
      const table = m[1]!.toLowerCase();
      if (!notTables.has(table)) out.push({ table, file: rel(file), how: m[0].replace(/\s+/g, ' ') });
    }
  }
  // The anonymisation primitive writes the table named in its second argument.
  for (const m of code.matchAll(/\bscrubRows\(\s*\w+\s*,\s*'([a-z_][a-z0-9_]*)'/g)) out.push({ table: m[1]!, file: rel(file), how: m[0] });
  for (const m of code.matchAll(ormWrite)) {
    const table = tableOf.get(m[1]!) ?? entityTables.get(m[1]!);
    if (table) out.push({ table, file: rel(file), how: m[0].replace(/\s+/g, ' ') });
  }
  return out;
}

const storeFiles = files.filter((f) => /^services\/[^/]+\/store\.ts$/.test(rel(f)));

async function owners(): Promise<Map<string, string[]>> {
  const byTable = new Map<string, string[]>();
  for (const f of storeFiles) {
    const mod = (await import(pathToFileURL(f).href)) as { ownedTables?: readonly string[] };
    for (const t of mod.ownedTables ?? []) byTable.set(t, [...(byTable.get(t) ?? []), rel(f)]);
  }
  return byTable;
}

describe('one writer per table', () => {
  const tables = schemaTables();

  it('finds the schema and the stores', () => {
    expect(tables.length).toBeGreaterThan(40);
    expect(storeFiles.length).toBeGreaterThan(5);
  });

  it('gives every table exactly one owning store, and every owned table exists', async () => {
    const byTable = await owners();
    const problems: string[] = [];
    for (const t of tables) {
      const o = byTable.get(t) ?? [];
      if (o.length !== 1) problems.push(`${t}: owned by ${o.length === 0 ? 'no store' : o.join(' and ')}`);
    }
    for (const t of byTable.keys()) if (!tables.includes(t)) problems.push(`${t}: owned by ${byTable.get(t)!.join(', ')} but no migration creates it`);
    expect(problems).toEqual([]);
  });

  it('lets only the owning store write a table', async () => {
    const byTable = await owners();
    const problems: string[] = [];
    for (const f of files) {
      for (const w of writesIn(f)) {
        if (!tables.includes(w.table)) continue; // e.g. a CTE name
        const owner = byTable.get(w.table)?.[0];
        if (owner !== w.file) problems.push(`${w.file} writes ${w.table} (${w.how}); owner: ${owner ?? 'none'}`);
      }
    }
    expect([...new Set(problems)].sort()).toEqual([]);
  });

  it('matches the store table of docs/ARCHITECTURE.md', async () => {
    const doc = readFileSync(path.join(projectRoot, 'docs/ARCHITECTURE.md'), 'utf8');
    const documented = new Map<string, string[]>();
    for (const m of doc.matchAll(/^\| `(services\/[^`]+\/store\.ts)` \| ([^|]+) \|$/gm)) {
      documented.set(m[1]!, m[2]!.split(',').map((t) => t.trim()).sort());
    }
    const inCode = new Map<string, string[]>();
    for (const [table, [owner]] of await owners()) inCode.set(owner!, [...(inCode.get(owner!) ?? []), table].sort());
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...inCode].sort()));
  });

  it('sees a write by another module (the scan itself works)', () => {
    const tmp = 'const sql = `insert into invoices (id) values ($1)`; em.nativeUpdate(Person, {}, {});';
    const code = withoutComments(tmp);
    expect(literals(code).flatMap((t) => [...t.matchAll(sqlWrite)].map((m) => m[1]))).toEqual(['invoices']);
    expect([...code.matchAll(ormWrite)].map((m) => entityTables.get(m[1]!))).toEqual(['persons']);
    // prose in comments is not SQL
    expect(literals(withoutComments('// update the invoices here\nconst x = 1;'))).toEqual([]);
  });
});
