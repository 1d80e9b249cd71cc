import { Migration } from '@mikro-orm/migrations';

/**
 * Real sign-in for office users (issue 20): `users` (an account per office, e-mail as login,
 * roles, argon2id password hash, optional TOTP secret, lockout counters), each backed by an
 * `api_credentials` row whose token is never handed out, so every table that records "who did
 * it" by credential id keeps working; `user_sessions` (the session cookie, only the sha256 of its
 * id kept, idle and absolute expiry) and `user_invitations` (one-time links, hashed, expiring).
 * `login_notices`: what an admin announces on the sign-in page (maintenance, outages).
 */
export class Migration20261212100000_user_accounts extends Migration {
  override up(): void {
    this.addSql(`create table users (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      credential_id uuid not null unique references api_credentials (id) on delete cascade,
      email text not null check (email = lower(email) and length(email) between 3 and 254 and position('@' in email) > 1),
      name text not null check (length(trim(name)) > 0),
      roles text[] not null check (cardinality(roles) > 0 and roles <@ array['adviser','designer','admin']::text[]),
      status text not null check (status in ('invited','active','disabled')),
      password_hash text null,
      totp_secret text null,
      totp_enabled boolean not null default false,
      failed_count integer not null default 0 check (failed_count >= 0),
      first_failed_at timestamptz null,
      locked_until timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint users_active_has_password check (status <> 'active' or password_hash is not null),
      constraint users_totp_has_secret check (not totp_enabled or totp_secret is not null)
    )`);
    // E-mail is the login: unique across offices, so sign-in needs no office picker.
    this.addSql(`create unique index users_email_unique on users (email)`);
    this.addSql(`create index users_office_idx on users (office_id)`);

    this.addSql(`create table user_sessions (
      id uuid primary key,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      user_id uuid not null references users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      idle_expires_at timestamptz not null,
      expires_at timestamptz not null,
      constraint user_sessions_expiry check (expires_at > created_at and idle_expires_at > created_at)
    )`);
    this.addSql(`create index user_sessions_user_idx on user_sessions (user_id)`);

    this.addSql(`create table user_invitations (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      expires_at timestamptz not null,
      used_at timestamptz null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index user_invitations_user_idx on user_invitations (user_id)`);

    this.addSql(`create table login_notices (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      severity text not null check (severity in ('info','maintenance','outage')),
      message text not null check (length(trim(message)) > 0 and length(message) <= 500),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      created_at timestamptz not null default now(),
      constraint login_notices_period check (ends_at > starts_at)
    )`);
    this.addSql(`create index login_notices_period_idx on login_notices (ends_at)`);
  }

  override down(): void {
    this.addSql(`drop table if exists login_notices`);
    this.addSql(`drop table if exists user_invitations`);
    this.addSql(`drop table if exists user_sessions`);
    this.addSql(`drop table if exists users`);
  }
}
