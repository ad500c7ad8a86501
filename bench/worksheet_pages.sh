#!/usr/bin/env bash
# Every worksheet of the demo data and of the bench's one-account stores, in Markdown, HTML
# and JSON (the first 100 remarks and --all), written by one installed focusblock into a
# folder: run it with the code before and after a change that must not move a byte, then
# `diff -r BEFORE AFTER`.
#
#   bench/worksheet_pages.sh PYTHON OUT_DIR [STORES_DIR]
#
# PYTHON is the interpreter of a venv with focusblock installed (`pip install .`, not -e, to
# pin the code). STORES_DIR holds store-account-10.db, store-500-remarks.db and
# store-2000-remarks.db as bench/run makes them (default bench/.cache); they are copied
# first, never written. The clock is pinned (FOCUSBLOCK_NOW), so both runs see one day.
set -euo pipefail
py=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
stores=${3:-$here/.cache}
rm -rf "$out"
mkdir -p "$out/stores"
export FOCUSBLOCK_NOW="2026-12-04T09:00:00+00:00" XDG_CACHE_HOME="$out/cache"
export PATH="$(dirname "$py"):$PATH"  # demo.sh runs `focusblock`
fb() { "$py" -m focusblock "$@" 2>/dev/null; }

bash "$here/../examples/demo.sh" "$out/demo" >/dev/null 2>&1
for account in "Nordwind Logistik GmbH" "Brightwater Health" "Océane Cosmétiques" \
  "Kestrel Robotics" "Sakura Foods" "Halvorsen & Dahl"; do
  slug=$(echo "$account" | tr -cd 'A-Za-z')
  for format in md html json; do
    for all in "" --all; do
      FOCUSBLOCK_DB="$out/demo/demo.db" FOCUSBLOCK_CONFIG="$here/../examples/config.toml" \
        fb worksheet "$account" $all --format "$format" --out "$out/demo-$slug${all:+-all}.$format"
    done
  done
done
rm -rf "$out/demo"

export FOCUSBLOCK_EMAIL=bench@example.com FOCUSBLOCK_TIMEZONE=America/New_York  # as bench/run
for store in store-account-10 store-500-remarks store-2000-remarks; do
  cp "$stores/$store.db" "$out/stores/$store.db"
  for format in md html json; do
    for all in "" --all; do
      FOCUSBLOCK_DB="$out/stores/$store.db" \
        fb worksheet "Big Account" $all --format "$format" --out "$out/$store${all:+-all}.$format"
    done
  done
done
rm -rf "$out/stores" "$out/cache"
echo "$(ls "$out" | wc -l) worksheets in $out"
