/** Readiness check of the Temporal frontend: the gRPC health service must answer SERVING. */
import type { Connection } from '@temporalio/client';

export function temporalHealthCheck(connection: Connection, timeoutMs = 3000): () => Promise<void> {
  return async () => {
    const response = await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
    const SERVING = 1;
    if (response.status !== SERVING) throw new Error(`Temporal health status ${String(response.status)}`);
    // The namespace answers too (fails when it does not exist).
    await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection.workflowService.getSystemInfo({}),
    );
  };
}
