#!/usr/bin/env bash
# Try focusblock on made-up customers in a throwaway store; your own store is not touched.
# Usage: examples/demo.sh [OUTPUT_DIR]   (default: a new temporary folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
rm -f "$out"/demo.db "$out"/demo.db-wal "$out"/demo.db-shm  # the demo always starts afresh
export FOCUSBLOCK_DB="$out/demo.db"
export FOCUSBLOCK_CONFIG="$here/config.toml"

focusblock account add "Nordwind Logistik GmbH" --alias Nordwind --domain nordwind-logistik.de \
  --need "Close the books in three days instead of six" \
  --consequence "Weekend overtime, lost controllers, 30% higher audit fees" \
  --decision-date 2027-01-29
focusblock account add "Brightwater Health" --domain brightwaterhealth.org \
  --need "Less handover paperwork for nurses" --decision-date 2026-12-10
focusblock account add "Océane Cosmétiques" --alias Oceane --domain oceane-cosmetiques.fr
focusblock account add "Kestrel Robotics" --alias Kestrel --domain kestrel-robotics.com \
  --need "Spare parts on site before the technician arrives" \
  --consequence "About 1,800 USD per wasted truck roll, 140 last quarter" \
  --decision-date 2027-02-15
focusblock account add "Sakura Foods" --stage sold --domain sakurafoods.co.jp
focusblock account add "Halvorsen & Dahl" --stage not-sold --domain halvorsen-dahl.no

focusblock remark import "$here/remarks.csv"
focusblock account list

# The weekly plan for the week after today, against the example calendar export.
focusblock busy --busy "$here/calendar.ics" --week next
# Without --out the files go to the store's own week folder: $out/weeks/<week>/ here.
focusblock plan --busy "$here/calendar.ics" --week next
echo "Store: $FOCUSBLOCK_DB"
echo "Focus blocks and worksheets: $out/weeks/"
