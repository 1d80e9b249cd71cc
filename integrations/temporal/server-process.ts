/**
 * The child-process side of running a Temporal server (the CLI dev server, or the server on
 * PostgreSQL): spawned detached in its own process group, its output kept as a short tail for
 * error messages, its exit watched, and a stop that ends the whole group (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  /** The exit, once it happened. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Rejects when the program could not be spawned (ENOENT): race it against the readiness probe. */
  spawnError: Promise<never>;
  /** The last 30 output lines, for error messages. */
  tail(): string;
  /** SIGTERM to the process group, SIGKILL after `killAfterMs`; resolves on exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** Spawns `program` detached; each output line goes to `log` until stop (shutdown chatter is noise). */
export function spawnServerProcess(program: string, args: string[], log: (line: string) => void, killAfterMs: number): ServerProcess {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const lines: string[] = [];
  let stopping = false;
  const onData = (chunk: Buffer) => {
    if (stopping) return;
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 30) lines.shift();
      log(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    exited: () => exit,
    spawnError,
    tail: () => lines.join('\n'),
    stop: async () => {
      if (exit || child.pid === undefined) return exitPromise;
      stopping = true;
      signalGroup(child, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), killAfterMs);
      await exitPromise;
      clearTimeout(killer);
    },
  };
}

/** Signals the child's whole process group (it was started detached), falling back to the child. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
