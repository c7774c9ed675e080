#!/usr/bin/env bash
# Makes sure the browser tests (ConsoleIT) have Debian's Chromium and its driver at /usr/bin/chromium and
# /usr/bin/chromedriver. Run by Maven in deploy/local's pre-integration-test phase (skipped with -DskipITs or
# -DskipTests). Present: nothing to do. Missing: installs them with apt-get when running as root on a machine
# that has it (apt-get update only when the first try fails); otherwise says how and fails the build.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$DRIVER" ]]; then
  exit 0
fi

echo "ensure-browser: $CHROMIUM or $DRIVER is missing; the browser tests need both"
if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  echo "ensure-browser: apt-get install -y chromium chromium-driver"
  if ! apt-get install -y chromium chromium-driver; then
    echo "ensure-browser: install failed; apt-get update, then again"
    apt-get update
    apt-get install -y chromium chromium-driver
  fi
  if [[ -x "$CHROMIUM" && -x "$DRIVER" ]]; then
    echo "ensure-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium), $("$DRIVER" --version)"
    exit 0
  fi
  echo "ensure-browser: apt-get finished but $CHROMIUM or $DRIVER is still missing" >&2
  exit 1
fi

cat >&2 <<'HELP'
ensure-browser: cannot install the browser here (needs root and apt-get). Install it yourself:
  Debian/Ubuntu:  sudo apt-get install -y chromium chromium-driver
  (the tests expect /usr/bin/chromium and /usr/bin/chromedriver of the same major version)
or skip the end-to-end tests with -DskipITs.
HELP
exit 1
