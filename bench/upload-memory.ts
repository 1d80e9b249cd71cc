/**
 * `npm run bench:upload-memory`: does the API's memory stay flat while 4 clients upload 25 MB
 * at once? Uploads stream into PostgreSQL in parts (services/uploads/receive.ts), so each
 * upload should cost about one chunk (512 KiB) of buffers, not its 25 MB.
 *
 * - Starts its own servers (bench/support.ts: PostgreSQL, the Temporal dev server, seeded like
 *   `npm start`) and the API as ITS OWN OS PROCESS (`api/server.ts`), so what is measured is the
 *   API's memory alone: its RSS read from /proc/<pid>/status every 20 ms (VmRSS) and its peak
 *   (VmHWM), and its V8 heap as reported by... nothing inside it: RSS is the honest figure.
 * - Warm-up: one small upload (loads file-type, the routes, the pg pool). Idle: RSS over 3 s.
 * - Load: BENCH_ROUNDS (3) rounds of BENCH_CLIENTS (4) clients each uploading a 25 MB PDF
 *   (26,214,400 bytes) at once over tus: POST, then one PATCH streaming the whole body from this
 *   process (in 64 KiB writes, as a client on a socket would).
 * - Reports idle RSS, peak RSS during the load, the ratio and the growth in MB, and the growth
 *   per round (a leak would grow each round). Goal: peak growth well under 4 x 25 MB = 100 MB
 *   (what buffering the four bodies whole would need at the least). Writes
 *   bench/results/upload-memory.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../config/ports.js';
import { projectRoot } from '../config/settings.js';
import { MAX_FILE_BYTES } from '../domain/uploads/uploads.js';
import { machine, round2, startBenchPlatform, stopChild } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MB = 1024 * 1024;

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function request(base: string, method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + url, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    if (!body) {
      req.end();
      return;
    }
    // Written in 64 KiB pieces with backpressure, as a client socket would send a file.
    let at = 0;
    const pump = (): void => {
      while (at < body.length) {
        const piece = body.subarray(at, Math.min(at + 64 * 1024, body.length));
        at += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

async function upload(base: string, token: string, file: Buffer, name: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' };
  const created = await request(base, 'POST', '/uploads', { ...headers, 'upload-length': String(file.length), 'upload-metadata': `filename ${Buffer.from(name).toString('base64')}` });
  if (created.status !== 201) throw new Error(`POST /uploads: ${created.status} ${created.body}`);
  const patched = await request(base, 'PATCH', String(created.headers.location), { ...headers, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, file);
  if (patched.status !== 204 || patched.headers['upload-offset'] !== String(file.length)) throw new Error(`PATCH: ${patched.status} ${patched.body}`);
}

async function main(): Promise<void> {
  const platform = await startBenchPlatform();
  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: platform.databaseUrl, TEMPORAL_ADDRESS: platform.temporalAddress, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', CLAMD_ADDRESS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const s of [api.stdout!, api.stderr!]) createInterface({ input: s }).on('line', (l) => output.push(l));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await request(base, 'GET', '/health/live', {}).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (api.exitCode !== null || Date.now() > deadline) throw new Error(`API did not start:\n${output.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = platform.tokens.adviser;
    if (!token) throw new Error('no adviser credential in the seed');
    const file = Buffer.alloc(MAX_FILE_BYTES, 0x20);
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1').copy(file);

    // Warm-up, then idle.
    await upload(base, token, file.subarray(0, 200_000), 'warm-up.pdf');
    await new Promise((r) => setTimeout(r, 1000));
    const idleSamples: number[] = [];
    for (let i = 0; i < 150; i++) {
      idleSamples.push(memoryOf(api.pid!).rss);
      await new Promise((r) => setTimeout(r, 20));
    }
    const idleRss = idleSamples.reduce((a, b) => a + b, 0) / idleSamples.length;

    const rounds: { seconds: number; peakRss: number; endRss: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, memoryOf(api.pid!).rss);
      }, 20);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, (_, i) => upload(base, token, file, `bestand-${round}-${i}.pdf`)));
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, memoryOf(api.pid!).rss);
      rounds.push({ seconds, peakRss: peak, endRss: memoryOf(api.pid!).rss });
      console.log(`round ${round + 1}: ${CLIENTS} x 25 MB in ${seconds.toFixed(1)} s, API RSS peak ${(peak / MB).toFixed(1)} MB`);
    }
    const peakRss = Math.max(...rounds.map((r) => r.peakRss));
    const hwm = memoryOf(api.pid!).hwm;
    const result = {
      when: new Date().toISOString(),
      machine: machine(),
      clients: CLIENTS,
      rounds: ROUNDS,
      fileBytes: MAX_FILE_BYTES,
      idleRssMb: round2(idleRss / MB),
      peakRssMb: round2(peakRss / MB),
      vmHwmMb: round2(hwm / MB),
      ratio: round2(peakRss / idleRss),
      growthMb: round2((peakRss - idleRss) / MB),
      bufferedWholeWouldNeedMb: round2((CLIENTS * MAX_FILE_BYTES) / MB),
      perRound: rounds.map((r) => ({ seconds: round2(r.seconds), peakRssMb: round2(r.peakRss / MB), endRssMb: round2(r.endRss / MB) })),
      throughputMbPerSecond: round2((CLIENTS * MAX_FILE_BYTES * ROUNDS) / MB / rounds.reduce((a, r) => a + r.seconds, 0)),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `API RSS idle ${result.idleRssMb} MB, peak ${result.peakRssMb} MB while ${CLIENTS} clients upload 25 MB at once: ` +
        `${result.ratio}x idle, +${result.growthMb} MB (the ${CLIENTS} bodies whole would be ${result.bufferedWholeWouldNeedMb} MB)`,
    );
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'upload-memory.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stopChild(api);
    await platform.stop();
  }
}

await main();
