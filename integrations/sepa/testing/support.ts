/**
 * Test support for the SEPA integration (imported by *.test.ts only; xmllint-wasm is a dev
 * dependency): where the ISO 20022 reference data lives, XSD validation, error capture.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { SepaError } from '../types.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The ISO 20022 reference folder (XSDs, samples) lives OUTSIDE the repo: $ISO20022_DIR, then
 * <repo>/../shared/reference/iso20022, then /work/shared/reference/iso20022. Undefined when
 * none exists; XSD tests are then skipped with a note.
 */
export function findIso20022Dir(): string | undefined {
  const candidates = [process.env.ISO20022_DIR, path.resolve(repoRoot, '../shared/reference/iso20022'), '/work/shared/reference/iso20022'];
  return candidates.find((dir): dir is string => typeof dir === 'string' && dir !== '' && existsSync(path.join(dir, 'pain.008.001.02.xsd')));
}

export const iso20022Dir = findIso20022Dir();
if (!iso20022Dir) {
  console.warn('[sepa tests] ISO 20022 reference data not found (set ISO20022_DIR): XSD and official-sample tests are skipped.');
}

/** Schemas the shared reference folder lacks, kept with the code (see xsd/README.md): their tests always run. */
export const bundledXsdDir = fileURLToPath(new URL('./xsd/', import.meta.url));

/** Validates `xml` against `<dir>/<xsd>` with libxml2 (WebAssembly); returns the error messages. */
export async function xsdErrors(xml: string, xsd: string, dir: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [{ fileName: xsd, contents: readFileSync(path.join(dir, xsd), 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => `${e.loc ? `line ${e.loc.lineNumber}: ` : ''}${e.message}`);
}

export const fixtureDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');

/** Runs `fn`, expects a SepaError and returns it. */
export function sepaError(fn: () => unknown): SepaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SepaError) return error;
    throw new Error(`expected a SepaError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a SepaError, nothing was thrown');
}
