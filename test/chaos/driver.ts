/**
 * The chaos driver: kills -9 the worker, the API or the Temporal server (with several workers or
 * API replicas: one of them, chosen at random) at random moments and
 * starts it again after a short random pause. Random from a seeded PRNG (printed; CHAOS_SEED
 * replays the same choices, the moments still depend on the machine). Every kind is killed at
 * least once: the targets come in shuffled rounds of all three. After the minimum number of
 * kills it goes on while the scenario still runs (up to a maximum), so the late phases (the SEPA
 * export and the bank import) see kills too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { chaosTargets, type ChaosPlatform, type ChaosTarget } from './chaos-platform.js';

/** mulberry32: small, fast, good enough to pick moments and targets. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KillPlan {
  /** At least this many kills, even when the scenario is done before. */
  kills: number;
  /** Kills go on while the scenario runs, up to this many (default `kills`). */
  maxKills?: number;
  /** Time between one restart and the next kill. */
  gapMs: [number, number];
  /** Time a killed part stays down. */
  downMs: [number, number];
}

export interface KillRecord {
  target: ChaosTarget;
  /** Which of several processes of the kind (0-based; always 0 when there is one). */
  instance: number;
  atMs: number;
  downMs: number;
  /** Time from the restart call until the part was up again. */
  restartMs: number;
}

export async function runDriver(
  platform: ChaosPlatform,
  random: () => number,
  plan: KillPlan,
  scenarioDone: () => boolean,
  log: (line: string) => void,
): Promise<KillRecord[]> {
  const between = ([lo, hi]: [number, number]) => Math.round(lo + random() * (hi - lo));
  const max = Math.max(plan.kills, plan.maxKills ?? plan.kills);
  const targets: ChaosTarget[] = [];
  while (targets.length < max) {
    const round = [...chaosTargets];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [round[i], round[j]] = [round[j]!, round[i]!];
    }
    targets.push(...round);
  }
  targets.length = max;
  const started = Date.now();
  const records: KillRecord[] = [];
  for (const target of targets) {
    await sleep(between(plan.gapMs));
    if (records.length >= plan.kills && scenarioDone()) break;
    const downMs = between(plan.downMs);
    // Several of a kind (workers, API replicas): any one of them. With one, no draw is taken, so
    // a seed replays the same choices as before scale-out.
    const count = platform.instances(target);
    const instance = count > 1 ? Math.floor(random() * count) : 0;
    const name = count > 1 ? `${target}-${instance + 1}` : target;
    const atMs = Date.now() - started;
    await platform.kill(target, instance);
    log(`kill -9 ${name} at ${(atMs / 1000).toFixed(1)} s, down for ${downMs} ms`);
    await sleep(downMs);
    const t0 = Date.now();
    await platform.restart(target, instance);
    records.push({ target, instance, atMs, downMs, restartMs: Date.now() - t0 });
    log(`${name} up again after ${Date.now() - t0} ms`);
  }
  return records;
}
