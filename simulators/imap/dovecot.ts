/**
 * A private, real IMAP server for the tests and the demo: Debian's dovecot (`dovecot-imapd`,
 * installed by scripts/install-tools.sh), started in the foreground with its own configuration in
 * a folder of ours, never the system service. It listens on 127.0.0.1 only, on a port of its own,
 * allows plaintext logins there (loopback, no TLS), keeps the mail (Maildir) and every runtime file
 * in that folder, and runs as the current user (as root it still does: the login and internal
 * processes get the current user, not dovenull, so nothing outside the folder is touched).
 *
 * Users are a passwd-file with plain passwords: test accounts only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../config/ports.js';

/** Where Debian puts the binary; DOVECOT names another. */
export function dovecotBinary(): string | undefined {
  const named = process.env.DOVECOT;
  if (named) return existsSync(named) ? named : undefined;
  return ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
}

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotOptions {
  /** Folder for the configuration, the mail and the runtime files (created when missing). */
  dir: string;
  users: DovecotUser[];
  /** 0 or absent: a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface Dovecot {
  host: string;
  port: number;
  /** `imap://user:password@127.0.0.1:port/INBOX` for a user (the form of the IMAP_MAILBOXES setting). */
  urlOf(user: DovecotUser): string;
  stop(): Promise<void>;
}

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
  /** Unprivileged user of the login processes (dovecot refuses root there). */
  loginUser: string;
}

/**
 * The current user; as root, dovecot refuses root for its login and mail processes, so those run
 * as Debian's own unprivileged `dovenull` (login) and `dovecot` (mail, owner of the folder's mail).
 */
async function runAsOf(): Promise<RunAs> {
  const me = os.userInfo();
  if (me.uid !== 0) return { user: me.username, group: me.username, uid: me.uid, gid: me.gid, loginUser: me.username };
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = (name: string) => passwd.split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
  const mail = entry('dovecot');
  const login = entry('dovenull');
  if (!mail || !login) throw new Error('dovecot as root needs the users dovecot and dovenull (made by the dovecot-core package)');
  return { user: 'dovecot', group: 'dovecot', uid: Number(mail[2]), gid: Number(mail[3]), loginUser: 'dovenull' };
}

function configOf(dir: string, port: number, runAs: RunAs): string {
  const { user: username, group, uid, gid } = runAs;
  return `# written by simulators/imap/dovecot.ts: a private test/demo instance
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = dossierflow-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${username}
default_internal_group = ${group}
default_login_user = ${runAs.loginUser}
first_valid_uid = ${uid}
first_valid_gid = ${gid}
mail_location = maildir:${dir}/mail/%u
mail_uid = ${uid}
mail_gid = ${gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  chroot =
}
service submission-login {
  chroot =
}
service anvil {
  chroot =
}
`;
}

async function waitForGreeting(port: number, child: ChildProcess, deadlineMs: number, logFile: string): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`dovecot exited with ${child.exitCode} before it listened: ${log.slice(-2000)}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not answer on 127.0.0.1:${port} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a private dovecot; refused with a clear message when the binary is missing. */
export async function startDovecot(opts: DovecotOptions): Promise<Dovecot> {
  const binary = dovecotBinary();
  if (!binary) throw new Error('dovecot is not installed (Debian: apt-get install dovecot-imapd, as root; scripts/install-tools.sh does it): the IMAP tests need it');
  const dir = path.resolve(opts.dir);
  for (const sub of ['run', 'state', 'mail', 'home']) await mkdir(path.join(dir, sub), { recursive: true });
  const port = opts.port || (await freePort());
  const runAs = await runAsOf();
  // The mail processes run as runAs: they own the mail and home folders.
  for (const sub of ['', 'mail', 'home']) await chown(path.join(dir, sub), runAs.uid, runAs.gid);
  const conf = path.join(dir, 'dovecot.conf');
  await writeFile(conf, configOf(dir, port, runAs));
  // passwd-file: user:{PLAIN}password:::: (a colon or newline in a test password would break it).
  for (const u of opts.users) if (/[:\n\r]/.test(u.user + u.password)) throw new Error(`dovecot test user ${u.user}: no ':' or line breaks in names and passwords`);
  await writeFile(path.join(dir, 'users'), opts.users.map((u) => `${u.user}:{PLAIN}${u.password}::::::`).join('\n') + '\n', { mode: 0o600 });
  await chown(path.join(dir, 'users'), runAs.uid, runAs.gid);
  const child = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.log ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  try {
    await waitForGreeting(port, child, 15_000, path.join(dir, 'dovecot.log'));
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // A test process that ends without stop() (a killed fork, a failed hook) takes its dovecot along.
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    urlOf: (u) => `imap://${encodeURIComponent(u.user)}:${encodeURIComponent(u.password)}@127.0.0.1:${port}/INBOX`,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      })),
  };
}
