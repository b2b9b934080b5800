#!/bin/bash
# The replica: on first start, a base backup of the primary with -R (standby.signal and the primary's
# address written for it), then PostgreSQL as a hot standby streaming from the primary.
set -euo pipefail
: "${PGDATA:?}" "${PRIMARY_HOST:?}" "${REPLICATION_PASSWORD:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    rm -rf "${PGDATA:?}"/*
    until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --host "$PRIMARY_HOST" --username replicator \
        --pgdata "$PGDATA" --wal-method stream --write-recovery-conf --checkpoint fast --progress; do
        echo "waiting for the primary to accept a base backup" >&2
        sleep 2
    done
fi
chmod 0700 "$PGDATA"
exec postgres -c hot_standby=on -c hot_standby_feedback=on
