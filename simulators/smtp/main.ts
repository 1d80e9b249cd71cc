/**
 * Runs the SMTP peer on its own: `tsx simulators/smtp/main.ts`.
 * Ports and folder from SMTP_PORT, MAIL_UI_PORT and DATA_DIR (mail under <DATA_DIR>/mail).
 */
import path from 'node:path';
import { loadSettings, SettingsError } from '../../config/settings.js';
import { startSmtpPeer } from './smtp-peer.js';

try {
  const settings = loadSettings();
  const peer = await startSmtpPeer({
    smtpPort: settings.smtpPort,
    httpPort: settings.mailUiPort,
    dir: path.join(settings.dataDir, 'mail'),
  });
  console.log(`SMTP peer: ${peer.smtpUrl}  mailbox UI: ${peer.uiUrl}  folder: ${peer.dir}`);
  const shutdown = () => {
    peer.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  console.error(err instanceof SettingsError ? err.message : err);
  process.exit(1);
}
