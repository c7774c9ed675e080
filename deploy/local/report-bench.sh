#!/usr/bin/env bash
# The report benchmark (docs/invoices.md): generates N usage rows for one tenant over last month directly in
# PostgreSQL (10 models, 5 keys, with their hourly roll-ups), then times "a month's daily costs by model"
# (GET /api/v1/tenants/{slug}/costs?bucket_width=1d&group_by=model) and prints median and p99. It runs
# io.aiaas.platform.usage.ReportBenchmarkTest of platform-api against the embedded PostgreSQL the tests start,
# building what it needs first (a JDK 17+ and Maven are all it takes).
#   ./deploy/local/report-bench.sh                          10,000,000 rows, 200 timed calls
#   ./deploy/local/report-bench.sh --rows 1000000 --calls 50
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

ROWS=10000000
CALLS=200
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --calls) CALLS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "report-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROWS" =~ ^[0-9]+$ && "$ROWS" -gt 0 ]] || { echo "report-bench.sh: --rows must be a positive number" >&2; exit 2; }
[[ "$CALLS" =~ ^[0-9]+$ && "$CALLS" -gt 0 ]] || { echo "report-bench.sh: --calls must be a positive number" >&2; exit 2; }

command -v java >/dev/null || { echo "report-bench.sh: java not found; install a JDK 17 or newer" >&2; exit 1; }
command -v mvn >/dev/null || { echo "report-bench.sh: mvn not found; install Maven 3.8+" >&2; exit 1; }

OUT="$ROOT/platform-api/target/report-bench.txt"
rm -f "$OUT"
# -am builds the modules platform-api needs; -Dtest selects the benchmark alone in every one of them
mvn -B -ntp -pl platform-api -am test \
  -Dtest=ReportBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Daiaas.bench.rows="$ROWS" -Daiaas.bench.calls="$CALLS" -Daiaas.bench.out="$OUT"
echo
cat "$OUT"
