/**
 * The load generator of `bench:hdn-ingest` in a process of its own (so the API's CPU per message
 * is the API's alone): `tsx bench/hdn-ingest-load.ts <job.json>` posts every body of the job to
 * POST /hdn/messages with `concurrency` callers and writes, next to the job, `<job>.out.json`: the
 * accept latency of each POST, its Server-Timing stages, the answers and the first failures.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseServerTiming } from '../services/hdn/stage-times.js';

/** Runs `task(i)` for i in 0..count-1 with at most `concurrency` at a time (bench/support.ts has the same; not imported: it loads the whole platform). */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

export interface LoadJob {
  baseUrl: string;
  token: string;
  concurrency: number;
  bodies: string[];
}

export interface LoadResult {
  /** ms from the first POST to the last answer. */
  postedMs: number;
  /** Answer time of each POST in ms. */
  accept: number[];
  stages: Record<string, number[]>;
  answers: Record<string, number>;
  failures: string[];
  /** CPU seconds (user + system) this process used: it has exited when the bench reads /proc, so its CPU would be booked on the bench process. */
  cpuSeconds: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const accept: number[] = [];
  const stages: Record<string, number[]> = {};
  const failures: string[] = [];
  const answers: Record<string, number> = {};
  const start = process.hrtime.bigint();
  await pool(job.bodies.length, job.concurrency, async (k) => {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${job.baseUrl}/hdn/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/xml' },
      body: job.bodies[k]!,
    });
    const body = (await res.json()) as { state?: string; detail?: string; title?: string };
    if (res.status >= 400 && failures.length < 5) failures.push(`${res.status} ${body.title ?? ''}: ${body.detail ?? JSON.stringify(body)}`);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    accept.push(ms);
    // Server-Timing: where the server spent the request; the rest is client, network and queueing.
    let serverMs = 0;
    for (const [stage, dur] of Object.entries(parseServerTiming(res.headers.get('server-timing')))) {
      (stages[stage] ??= []).push(dur);
      serverMs += dur;
    }
    (stages['outside-handler'] ??= []).push(Math.max(0, ms - serverMs));
    const key = `${res.status} ${body.state ?? ''}`.trim();
    answers[key] = (answers[key] ?? 0) + 1;
  });
  const cpu = process.cpuUsage();
  return { postedMs: Number(process.hrtime.bigint() - start) / 1e6, accept, stages, answers, failures, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const jobFile = process.argv[2];
if (!jobFile) throw new Error('usage: tsx bench/hdn-ingest-load.ts <job.json>');
const result = await run(JSON.parse(readFileSync(jobFile, 'utf8')) as LoadJob);
writeFileSync(`${jobFile}.out.json`, JSON.stringify(result));
