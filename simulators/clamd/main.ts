/**
 * Runs the clamd peer on its own: `tsx simulators/clamd/main.ts [port]` (default 3310, clamd's
 * port); point the API at it with CLAMD_ADDRESS=127.0.0.1:<port>.
 */
import { startClamdPeer } from './clamd-peer.js';

const port = Number(process.argv[2] ?? 3310);
const peer = await startClamdPeer({ port });
console.log(`clamd peer (INSTREAM, EICAR only): ${peer.address}`);
const shutdown = () => {
  peer.stop().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
