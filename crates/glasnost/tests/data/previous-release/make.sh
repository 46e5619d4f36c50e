#!/usr/bin/env bash
# Makes the upgrade fixtures with the binary of the release before the mechanism slices
# (commit 77c876a): `make.sh PATH-TO-OLD-glasnost`. Writes glasnost.db (SQLite as that release
# leaves it), backup.zip (its backup of the same portal) and postgres.sql (the same portal
# restored into PostgreSQL by that release, dumped with pg_dump --inserts).
set -euo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../../.." && pwd)
W=$(mktemp -d); chmod 755 "$W"
trap 'source "$ROOT/scripts/lib/pg.sh"; stop_pg "$W/pg"; rm -rf "$W"' EXIT
export GLASNOST_DATA_DIR=$W/data GLASNOST_CLOCK=2026-03-02T09:00:00Z
"$BIN" demo >/dev/null
"$BIN" roadmap import "$ROOT/crates/roadmap/tests/fixtures/002.txt" --body social-protection >/dev/null
python3 "$HERE/populate.py" "$W/data/glasnost.db"
mkdir -p "$W/data/files/appeals/fixture" && printf 'текст' > "$W/data/files/appeals/fixture/заявление.txt"
"$BIN" backup "$HERE/backup.zip"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.execute('VACUUM'); c.close()" "$W/data/glasnost.db"
cp "$W/data/glasnost.db" "$HERE/glasnost.db"
source "$ROOT/scripts/lib/pg.sh"
start_pg "$W/pg"
GLASNOST_DATABASE_URL=$PG_URL "$BIN" migrate >/dev/null
GLASNOST_DATABASE_URL=$PG_URL GLASNOST_STORAGE_URL=file://$W/pgfiles "$BIN" restore "$HERE/backup.zip"
# That release's backup left submission_letters out; the in-place fixture carries its row.
psql -q "$PG_URL" -c "INSERT INTO submission_letters (submission_id, what, sent_on, tracking, created_at) SELECT id, 'answer', '2026-03-03', '63401234567890', 1772442000000 FROM submissions"
pg_dump --inserts --no-owner --no-privileges --no-comments "$PG_URL" | grep -v '^\\' > "$HERE/postgres.sql"
