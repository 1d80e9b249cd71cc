#!/bin/sh
# One-shot: creates (when missing) and migrates Temporal's two databases in PostgreSQL.
# Runs in the temporalio/admin-tools image, which ships temporal-sql-tool and the schemas.
set -eu
: "${POSTGRES_HOST:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${POSTGRES_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_HOST" -p "$PORT" -u "$POSTGRES_USER" "$@"; }

until nc -z "$POSTGRES_HOST" "$PORT"; do echo "waiting for PostgreSQL at $POSTGRES_HOST:$PORT"; sleep 1; done

for db in temporal temporal_visibility; do
  dir="$SCHEMA_DIR/temporal/versioned"
  [ "$db" = temporal_visibility ] && dir="$SCHEMA_DIR/visibility/versioned"
  sql --db "$db" create || echo "database $db exists"
  # setup-schema -v 0.0 only creates the version table; update-schema applies what is missing.
  sql --db "$db" setup-schema -v 0.0 || true
  sql --db "$db" update-schema -d "$dir"
done
echo "Temporal schema is up to date"
