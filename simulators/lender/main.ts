/**
 * Runs the simulated lender on its own: `tsx simulators/lender/main.ts`, configured from the
 * environment (see env.ts: LENDER_PORT, LENDER_INBOUND_TOKEN, LENDER_DELIVER_URL,
 * LENDER_DELIVER_TOKEN, LENDER_SCENARIO, LENDER_STEP_DELAY_MS, ...).
 *
 * A simulator is a separate program standing in for a counterpart, not part of the platform:
 * it reads its own environment here on purpose instead of going through config/settings.ts
 * (the lint rule against process.env leaves simulators/ free for that reason).
 */
import { LenderConfigError, lenderOptionsFromEnv } from './env.js';
import { startLenderSimulator } from './simulator.js';

try {
  const lender = await startLenderSimulator(lenderOptionsFromEnv(process.env));
  console.log(`Lender simulator ${lender.nodeNumber}: AX/DX to ${lender.inboundUrl}, overview ${lender.url}/`);
  const shutdown = () => {
    lender.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  console.error(err instanceof LenderConfigError ? err.message : err);
  process.exit(1);
}
