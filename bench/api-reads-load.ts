/**
 * The load generator of `npm run bench:api-reads`, in a process of its own (forked with an IPC
 * channel), so that the API's event loop and this one's do not share a thread. It runs autocannon
 * on request of the bench process and answers each run with its latency histogram (every
 * response's latency, sorted) and the CPU this process used.
 *
 * Two ways to hold a rate (`mode`):
 * - `quota`: autocannon's own `overallRate`. Each connection gets a quota per second and, at the
 *   start of every second, sends it back to back (autocannon 9 `httpClient.js`: a 1 s interval
 *   resets `reqsMadeThisSecond`), so 200 req/s on 10 connections is a burst of 200 requests at a
 *   concurrency of 10 each second, then nothing. Latency from the request's write.
 * - `paced`: the same autocannon clients, but each connection sends at fixed moments: connection
 *   i of C sends its k-th request at t0 + (i + k·C) / rate, i.e. one request every 1/rate s over
 *   all connections (a constant arrival rate, as wrk2 does). A request due while the connection
 *   still waits for the previous answer goes out when that answer arrives, and its latency is
 *   counted from the moment it was DUE (not from its write), so a server that falls behind shows
 *   it in the percentiles instead of slowing the generator down (no coordinated omission).
 *   Uses autocannon's `setupClient` hook and wraps the client's `_doRequest` (autocannon 9.0.0;
 *   checked at start).
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  id: number;
  mode: 'quota' | 'paced';
  url: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  connections: number;
}

export interface LoadAnswer {
  id: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Latency of every response in ms, ascending. */
  latencies: number[];
  /** CPU this process used during the run (ms). */
  cpuMs: number;
  error?: string;
}

type PacedClient = autocannon.Client & { _doRequest: () => void; destroyed?: boolean; dueAt?: number };

async function run(req: LoadRequest): Promise<LoadAnswer> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const paced = req.mode === 'paced';
  const t0 = performance.now() + 50;
  const interval = 1000 / req.rate; // ms between two requests over all connections
  let clients = 0;
  const setupClient = (client: autocannon.Client): void => {
    const c = client as PacedClient;
    const original = c._doRequest;
    if (typeof original !== 'function') throw new Error('autocannon client has no _doRequest: the paced mode needs autocannon 9');
    const i = clients++;
    let k = 0;
    const send = (due: number): void => {
      if (c.destroyed) return;
      // Counted from the moment it was due, or from its write when that is earlier (a timer may fire up to 0.5 ms early).
      c.dueAt = Math.min(due, performance.now());
      original.call(c);
    };
    c._doRequest = function paced(): void {
      const due = t0 + (i + k * req.connections) * interval;
      k++;
      const wait = due - performance.now();
      if (wait > 0.5) setTimeout(() => send(due), wait);
      else send(due);
    };
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        headers: req.headers,
        connections: req.connections,
        duration: req.seconds,
        ...(paced ? { setupClient } : { overallRate: req.rate }),
      },
      (err: unknown, r) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(r);
      },
    );
    instance.on('response', (client, _status, _bytes, responseTime) => {
      const due = (client as PacedClient).dueAt;
      latencies.push(paced && due !== undefined ? performance.now() - due : responseTime);
    });
  });
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    id: req.id,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: req.seconds,
    latencies,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

process.on('message', (msg: LoadRequest) => {
  run(msg).then(
    (answer) => process.send?.(answer),
    (err: unknown) =>
      process.send?.({ id: msg.id, requests: 0, non2xx: 0, errors: 0, timeouts: 0, seconds: msg.seconds, latencies: [], cpuMs: 0, error: String(err) } satisfies LoadAnswer),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
