#!/bin/sh
# One-shot: registers the platform's namespace once Temporal answers (idempotent).
set -eu
NS="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 1; done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NS" >/dev/null 2>&1 \
  || temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NS" --retention "${TEMPORAL_RETENTION:-30d}"
echo "namespace $NS ready"
