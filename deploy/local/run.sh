#!/usr/bin/env bash
# The one command: builds every module, then runs Keycloak, platform-api and one inference-worker on this machine,
# seeds the demo (tenants acme and globex, the Iris model, an API key) and prints how to call it. Ctrl-C stops it.
# Needs only a JDK 17+ and Maven on the PATH; state lives in <repo>/.local (delete it to start over).
#   ./deploy/local/run.sh             build, then run
#   ./deploy/local/run.sh --no-build  run what was built last time
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

command -v java >/dev/null || { echo "run.sh: java not found; install a JDK 17 or newer" >&2; exit 1; }

if [[ "${1:-}" != "--no-build" ]]; then
  command -v mvn >/dev/null || { echo "run.sh: mvn not found; install Maven 3.8+" >&2; exit 1; }
  echo "building all modules (mvn -B -q -DskipTests package); the first build downloads dependencies ..."
  mvn -B -q -DskipTests package
fi

CLASSPATH_FILE="deploy/local/target/classpath.txt"
[[ -f "$CLASSPATH_FILE" ]] || { echo "run.sh: $CLASSPATH_FILE missing; run without --no-build first" >&2; exit 1; }

exec java \
  -Daiaas.repo.root="$ROOT" \
  -Daiaas.keycloak.dist="$ROOT/deploy/local/target/keycloak" \
  -cp "deploy/local/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.aiaas.localstack.LocalStack
