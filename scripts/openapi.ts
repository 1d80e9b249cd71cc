/**
 * The OpenAPI document of the API and the web UI's API types, made from the route schemas.
 *
 * `npm run generate:api-types` (`tsx scripts/openapi.ts`) builds the Fastify app with
 * `buildApp()` but without any server: no database, no Temporal, nothing listens. Registering
 * the routes and `app.ready()` only read the schemas, so the deps handed in throw when anything
 * touches them (a loud failure, never a silent stand-in). It then writes
 *   - `.tools/openapi.json`: the document (`app.swagger()`), written on every run, and
 *   - `ui/src/generated/api.d.ts`: its TypeScript types by openapi-typescript, rewritten only
 *     when they changed (so `ui/build.sh` rebuilds the UI only then).
 * Both are generated, never committed (.gitignore). `ui/src/types.ts` derives every API shape
 * from `ui/src/generated/api.d.ts`; test/unit/openapi-ui-types.test.ts checks both.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { buildApp, type AppDeps } from '../api/app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const openApiDocumentFile = path.join(root, '.tools', 'openapi.json');
export const uiApiTypesFile = path.join(root, 'ui', 'src', 'generated', 'api.d.ts');

/** A dependency that must not be used while only the schemas are read: any access throws. */
function untouchable(name: string): never {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        throw new Error(`producing the OpenAPI document must not use deps.${name} (touched .${String(prop)}); it needs no servers`);
      },
    },
  ) as never;
}

/** Deps for an app that only reads its route schemas (no server): any use of them throws. */
export function schemaOnlyDeps(): AppDeps {
  return { orm: untouchable('orm'), temporal: untouchable('temporal'), logger: false };
}

/** The OpenAPI document exactly as the API serves it at /docs/json, made without any server. */
export async function buildOpenApiDocument(): Promise<OpenAPI3> {
  const app = buildApp(schemaOnlyDeps());
  try {
    await app.ready();
    return app.swagger() as unknown as OpenAPI3;
  } finally {
    await app.close();
  }
}

/** The TypeScript types of a document (openapi-typescript, default options). */
export async function typesFromDocument(doc: OpenAPI3): Promise<string> {
  const ast = await openapiTS(doc, { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

/** Writes through a temporary file, so a reader (tsc, vite) never sees half a file. */
function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const doc = await buildOpenApiDocument();
  const types = await typesFromDocument(doc);
  const rel = (file: string) => path.relative(root, file);
  const changed = readOrEmpty(uiApiTypesFile) !== types;
  if (changed) writeAtomically(uiApiTypesFile, types);
  // The document last: ui/api-types.sh takes its time as "generated from the sources of then".
  writeAtomically(openApiDocumentFile, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`[openapi] ${rel(openApiDocumentFile)} written; ${rel(uiApiTypesFile)} ${changed ? 'written' : 'unchanged'}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error('[openapi] failed:', err);
    process.exit(1);
  });
}
