/**
 * A throw-away certificate authority for the HDN platform transport, made with the openssl CLI:
 * used by the tests (made at test time) and by `npm start` (made once into DATA_DIR). Never for
 * production: real node certificates come from HDN.
 *
 * Every node certificate has CN = the node number (see node-certificate.ts), subjectAltName
 * localhost / 127.0.0.1 and both serverAuth and clientAuth, because a node is both: it listens
 * for messages and sends them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PemPair {
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

export interface TestCa extends PemPair {
  name: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeout: 30_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(err)}`, { cause: err });
  }
}

async function pair(keyFile: string, certFile: string): Promise<PemPair> {
  return { keyFile, certFile, key: await readFile(keyFile), cert: await readFile(certFile) };
}

/** A new self-signed CA in `dir` (files `<name>.key` / `<name>.crt`), valid `days`. */
export async function createTestCa(dir: string, name: string, days = 3650): Promise<TestCa> {
  await mkdir(dir, { recursive: true });
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  await openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-subj', `/O=dossierflow test/CN=${name}`, '-days', String(days),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { name, ...(await pair(keyFile, certFile)) };
}

let serial = Date.now();

/**
 * A node certificate signed by `ca` (files `<file>.key` / `<file>.crt`). `days` < 0 makes one that
 * has already expired (its notAfter lies before now), for the refusal tests.
 */
export async function issueNodeCertificate(ca: TestCa, dir: string, node: string, opts: { days?: number; file?: string } = {}): Promise<PemPair> {
  await mkdir(dir, { recursive: true });
  const file = opts.file ?? node;
  const keyFile = path.join(dir, `${file}.key`);
  const certFile = path.join(dir, `${file}.crt`);
  const csr = path.join(dir, `${file}.csr`);
  const ext = path.join(dir, `${file}.ext`);
  await writeFile(
    ext,
    ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth', 'subjectAltName=DNS:localhost,IP:127.0.0.1', ''].join('\n'),
  );
  await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/O=dossierflow test/CN=${node}`]);
  serial += 1;
  await openssl(dir, [
    'x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', String(serial),
    '-days', String(opts.days ?? 825), '-extfile', ext, '-out', certFile,
  ]);
  return pair(keyFile, certFile);
}

/** The demo's certificates live in DATA_DIR/<this> (scripts/platform.ts, scripts/hdn-platform-post.ts). */
export const DEMO_PKI_DIR = 'hdn-platform-pki';
/** Our platform listener's port in the demo when HDN_PLATFORM_PORT is not set. */
export const DEMO_PLATFORM_PORT = 3443;

export interface DemoPki {
  dir: string;
  ca: TestCa;
  /** Our node's certificate: the listener's server certificate and our client certificate. */
  ours: PemPair;
  /** One per lender node. */
  nodes: Record<string, PemPair>;
}

/**
 * The demo's PKI in `dir`: made on the first start, reused after (a lender node added later gets
 * its certificate then). Same code as the tests, so the demo proves what they prove.
 */
export async function ensureDemoPki(dir: string, ourNode: string, lenderNodes: readonly string[]): Promise<DemoPki> {
  const caFile = path.join(dir, 'demo-ca.crt');
  const ca = existsSync(caFile)
    ? { name: 'demo-ca', ...(await pair(path.join(dir, 'demo-ca.key'), caFile)) }
    : await createTestCa(dir, 'demo-ca');
  const nodeCert = async (node: string): Promise<PemPair> =>
    existsSync(path.join(dir, `${node}.crt`)) ? pair(path.join(dir, `${node}.key`), path.join(dir, `${node}.crt`)) : issueNodeCertificate(ca, dir, node);
  const ours = await nodeCert(ourNode);
  const nodes: Record<string, PemPair> = {};
  for (const node of lenderNodes) nodes[node] = await nodeCert(node);
  return { dir, ca, ours, nodes };
}
