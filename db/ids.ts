/** The one module that makes entity ids: random UUIDs (v4), made in the application. */
import { randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}
