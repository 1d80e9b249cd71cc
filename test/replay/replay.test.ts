/**
 * Replays every recorded workflow history (test/replay/histories/*.json) against the
 * current workflow code. A nondeterminism error means a change would break running workflows:
 * guard it with `patched()` instead. Needs no server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../workflows/product-harness.js';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has recorded histories', () => {
    expect(files).toContain('service-process-v1.json');
    expect(files).toContain('risk-poller-v1.json');
    expect(files).toContain('appointment-v1.json');
    expect(files).toContain('outbox-mail-v1.json');
    expect(files).toContain('mailbox-v1.json');
    expect(files).toContain('payout-v1.json');
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(await readFile(`${dir}${file}`, 'utf8')));
    const workflowId = `replay:${file}`;
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, [{ workflowId, history }]);
    for await (const result of results) {
      expect(result.error, `${file}: ${String(result.error)}`).toBeUndefined();
    }
  }, 60_000);
});
