#!/usr/bin/env bash
# Nightly backup (cron): pg_dump -Fc on PostgreSQL, the online backup on SQLite, with row counts.
# Usage: scripts/backup.sh [directory]   (DATABASE_URL as for the site; default var/backups)
# Restore drill: .venv/bin/python manage.py restore_drill <file> --target <new database>
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-var/backups}"
mkdir -p "$dir"
exec .venv/bin/python manage.py backup_db --output "$dir/nhandao-$(date -u +%Y%m%d-%H%M%S).dump"
