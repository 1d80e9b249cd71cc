/**
 * Posts one HDN XML file to our HDN API platform listener, in the platform envelope over mutual
 * TLS, as the node that sent it (the XML's VerzenderNrHDN) with that node's demo certificate:
 * the README's "walk over the platform" for advice software (an AX) or a lender message by hand.
 *
 *   npx tsx scripts/hdn-platform-post.ts <file.xml>
 *
 * Needs `npm start` with HDN_TRANSPORT=platform (it made the certificates in
 * DATA_DIR/hdn-platform-pki and listens on HDN_PLATFORM_PORT, default 3443).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSettings } from '../config/settings.js';
import { readHdnMessage } from '../integrations/hdn/read.js';
import { createHdnPlatformClient } from '../integrations/hdn/platform/client.js';
import { DEMO_PKI_DIR, DEMO_PLATFORM_PORT } from '../integrations/hdn/platform/test-pki.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/hdn-platform-post.ts <file.xml>');
  process.exit(2);
}
const settings = loadSettings();
const xml = readFileSync(file, 'utf8');
const sender = readHdnMessage(xml).header.senderNode;
const dir = path.join(settings.dataDir, DEMO_PKI_DIR);
if (!existsSync(path.join(dir, `${sender}.crt`))) {
  console.error(`No demo certificate for node ${sender} in ${dir}: start the demo with HDN_TRANSPORT=platform first`);
  process.exit(1);
}
const client = createHdnPlatformClient({
  url: `https://127.0.0.1:${settings.hdnPlatformPort ?? DEMO_PLATFORM_PORT}/hdn/platform/messages`,
  tls: { key: readFileSync(path.join(dir, `${sender}.key`)), cert: readFileSync(path.join(dir, `${sender}.crt`)), ca: readFileSync(path.join(dir, 'demo-ca.crt')) },
});
try {
  const answer = await client.send(xml);
  console.log(`${answer.status} ${answer.body}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
