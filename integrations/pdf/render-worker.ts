/**
 * The thread of the PDF pool (pool.ts): renders each document it is sent with renderDocumentPdf
 * and answers the bytes (transferred, not copied). Nothing else runs here.
 */
import { parentPort } from 'node:worker_threads';
import { renderDocumentPdf, type PdfDocumentInput } from './render.js';

interface Job {
  id: number;
  input: PdfDocumentInput;
}

parentPort?.on('message', (job: Job) => {
  renderDocumentPdf(job.input).then(
    (bytes) => parentPort?.postMessage({ id: job.id, bytes }, [bytes.buffer as ArrayBuffer]),
    (err: unknown) => parentPort?.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
