/**
 * Stage times of one inbound HDN request, answered as a `Server-Timing` header (W3C) so a load
 * generator can tell where the accept latency goes (bench/hdn-ingest.ts). Only durations and
 * stage names leave the server: nothing about the message or the office.
 */
import { performance } from 'node:perf_hooks';

export class StageTimes {
  private last = performance.now();
  private readonly stages = new Map<string, number>();

  /** Books the time since the previous lap (or the start) on `stage`; repeated stages add up. */
  lap(stage: string): void {
    const now = performance.now();
    this.stages.set(stage, (this.stages.get(stage) ?? 0) + (now - this.last));
    this.last = now;
  }

  /** `stage;dur=1.23, ...` in the order the stages first ran. */
  header(): string {
    return [...this.stages].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`).join(', ');
  }
}

/** Parses a `Server-Timing` header into stage → ms (entries without `dur` are left out). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && dur !== undefined) out[name] = (out[name] ?? 0) + Number(dur);
  }
  return out;
}
