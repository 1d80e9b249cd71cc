/**
 * The worker process of the chaos run: the platform's own `startWorker` with the platform
 * settings, but with the workflow bundle the driver built once (CHAOS_WORKFLOW_BUNDLE), so a
 * restart after a kill -9 takes seconds instead of re-bundling the workflows on a busy machine.
 * Everything else (activities, connection, task queue, settings) is what `npm run worker` runs.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadSettings } from '../../config/settings.js';
import { startWorker } from '../../activities/worker.js';

async function main(): Promise<void> {
  const settings = loadSettings();
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const bundlePath = process.env.CHAOS_WORKFLOW_BUNDLE;
  if (!settings.databaseUrl || !settings.smtpUrl || !bundlePath) {
    console.error('chaos worker: DATABASE_URL, SMTP_URL and CHAOS_WORKFLOW_BUNDLE are required');
    process.exit(2);
  }
  const running = await startWorker({
    databaseUrl: settings.databaseUrl,
    temporalAddress: settings.temporalAddress ?? `127.0.0.1:${settings.temporalPort}`,
    temporalNamespace: settings.temporalNamespace,
    taskQueue: settings.taskQueue,
    invoiceRunHour: settings.invoiceRunHour,
    smtpUrl: settings.smtpUrl,
    publicUrl: settings.publicUrl,
    mailFrom: settings.mailFrom,
    hdn: {
      node: settings.hdnNode,
      ...(settings.hdnGatewayUrl ? { gatewayUrl: settings.hdnGatewayUrl } : {}),
      ...(settings.hdnGatewayToken ? { gatewayToken: settings.hdnGatewayToken } : {}),
    },
    ockto: settings,
    risk: settings,
    workerOptions: { workflowsPath: undefined, workflowBundle: { codePath: bundlePath } },
  });
  console.log(`worker: running on task queue "${settings.taskQueue}"`);
  try {
    await running.done;
  } catch (err) {
    console.error(`worker: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(`worker: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
