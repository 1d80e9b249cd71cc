/**
 * CPU time and memory of a benchmark's processes, from /proc (Linux): this process and its
 * descendants, by role (the bench itself, named child programs, postgres* and temporal*).
 * CPU is utime + stime of each process and its waited-for children, so it is not inflated when
 * other processes share the cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in clock ticks (100 per second). */
  ticks: number;
}

function processes(): Proc[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          // Fields after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15).
          return [{ pid: Number(d), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) }];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

/**
 * This process's descendants by role: `bench` (this process), the named pids of `roles`, then
 * postgres* and temporal* by command name, the rest `other`.
 */
export function processGroups(roles: Record<string, number | undefined>): Map<string, number[]> {
  const procs = processes();
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  const byPid = new Map(Object.entries(roles).filter(([, pid]) => pid !== undefined).map(([role, pid]) => [pid!, role]));
  const out = new Map<string, number[]>();
  const add = (role: string, pid: number): void => {
    out.set(role, [...(out.get(role) ?? []), pid]);
  };
  for (const p of procs) {
    if (!mine.has(p.pid)) continue;
    if (p.pid === process.pid) add('bench', p.pid);
    else if (byPid.has(p.pid)) add(byPid.get(p.pid)!, p.pid);
    else if (p.comm.startsWith('postgres')) add('postgres', p.pid);
    else if (p.comm.startsWith('temporal')) add('temporal', p.pid);
    else add('other', p.pid);
  }
  return out;
}

/** CPU seconds used so far per role. */
export function cpuSeconds(roles: Record<string, number | undefined>): Record<string, number> {
  const ticks = new Map(processes().map((p) => [p.pid, p.ticks]));
  const out: Record<string, number> = {};
  for (const [role, pids] of processGroups(roles)) out[role] = pids.reduce((sum, pid) => sum + (ticks.get(pid) ?? 0), 0) / 100;
  return out;
}

/** Resident set size (VmRSS) of one process in MB, or NaN when it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Memory per role now: the sum of PSS (shared pages split between their users) of its processes, in MB. */
export function pssMb(roles: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [role, pids] of processGroups(roles)) {
    let kb = 0;
    for (const pid of pids) {
      try {
        const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
        kb += Number(m?.[1] ?? 0);
      } catch {
        // gone meanwhile
      }
    }
    out[role] = Math.round(kb / 1024);
  }
  return out;
}
