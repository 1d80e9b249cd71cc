/**
 * The platform starter's own stdout/stderr, guarded. `npm start | tee start.log` then Ctrl-C:
 * tee is gone before the starter has stopped its children, and a write to the closed pipe
 * raises EPIPE — an unhandled 'error' on process.stdout would kill the starter and leave the
 * Temporal dev server (its own process group) running. Here every error of either stream
 * (EPIPE, EIO on a hung-up terminal, ...) marks that stream closed, later writes to it are
 * dropped, and `onClosed` is told once, so the caller can stop its children in order.
 *
 * A closed pipe is only noticed at the next write (Node has no "reader went away" event for a
 * pipe); every line of every child goes through these streams, so that is the next log line.
 */
type Stream = 'stdout' | 'stderr';

const closed = new Set<Stream>();
let listener: ((stream: Stream, err: NodeJS.ErrnoException) => void) | undefined;

function streamOf(name: Stream): NodeJS.WriteStream {
  return name === 'stdout' ? process.stdout : process.stderr;
}

/** Installs the error handlers; `onClosed` is called once, for the first stream that closes. */
export function guardOutput(onClosed: (stream: Stream, err: NodeJS.ErrnoException) => void): void {
  listener = onClosed;
  for (const name of ['stdout', 'stderr'] as const) {
    streamOf(name).on('error', (err: NodeJS.ErrnoException) => markClosed(name, err));
  }
}

function markClosed(name: Stream, err: NodeJS.ErrnoException): void {
  if (closed.has(name)) return;
  closed.add(name);
  const first = closed.size === 1;
  if (first) listener?.(name, err);
}

/** Writes `text` unless the stream has closed; never throws. */
export function writeOut(name: Stream, text: string): void {
  if (closed.has(name)) return;
  const stream = streamOf(name);
  if (stream.destroyed || !stream.writable) {
    markClosed(name, Object.assign(new Error(`${name} is closed`), { code: 'ERR_STREAM_DESTROYED' }));
    return;
  }
  try {
    stream.write(text);
  } catch (err) {
    markClosed(name, err as NodeJS.ErrnoException);
  }
}

export function outputClosed(name: Stream): boolean {
  return closed.has(name);
}
