/**
 * Runs in every test process before its tests: exposes the servers of the global setup as the
 * same environment variables the platform uses, so code under test reads them the normal way.
 */
import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
process.env.SMTP_URL = inject('smtpUrl');
process.env.MAIL_UI_URL = inject('mailUiUrl');
process.env.TEMPORAL_TEST_SERVER = inject('temporalTestServer');
process.env.TEMPORAL_CLI = inject('temporalCli');
