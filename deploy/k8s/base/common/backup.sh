#!/bin/sh
# Dumps every database in BACKUP_DATABASE_URLS (space-separated postgres:// URLs)
# into BACKUP_DIR as <database>_<UTC timestamp>.sql.gz, then deletes dumps older
# than RETENTION_DAYS. The same format as `fusion backup` (plain SQL that drops
# what it recreates), gzipped; `fusion restore <file>` reads both.
set -eu
dir="${BACKUP_DIR:-/backups}"
days="${RETENTION_DAYS:-30}"
stamp=$(date -u +%Y%m%d_%H%M%S)
: "${BACKUP_DATABASE_URLS:?set BACKUP_DATABASE_URLS (secret fusioncommerce-backup)}"
for url in $BACKUP_DATABASE_URLS; do
  database=$(printf '%s' "$url" | sed -e 's|^[^/]*//[^/]*/||' -e 's|[?].*$||')
  out="$dir/${database}_${stamp}.sql"
  pg_dump --clean --if-exists --no-owner --no-privileges --format=plain --dbname="$url" --file="$out.partial"
  gzip -9 "$out.partial"
  mv "$out.partial.gz" "$out.gz"
  echo "backed up $database to $out.gz ($(wc -c < "$out.gz") bytes)"
done
find "$dir" -name '*.sql.gz' -type f -mtime +"$days" -print -exec rm -f {} +
