#!/usr/bin/env bash
# The benchmark: ONNX Runtime in process vs the inference-worker over HTTP vs the control plane's gateway (and, with
# --billing, the gateway for a tenant on a plan), measured side by side in one run (docs/benchmark.md). Starts its
# own stack on free ports in a temporary state directory, measures, writes results.json and results.md under
# deploy/local/target/bench/<time>/, and stops everything.
#   ./deploy/local/bench.sh                        build if something is missing, then the default run
#   ./deploy/local/bench.sh --build                rebuild every module first (after changing code)
#   ./deploy/local/bench.sh --models mlp --batches 1 --requests 500   see --help for every option
#   ./deploy/local/bench.sh --preset billing       a tenant on a plan against one without, 1 to 64 clients
#   ./deploy/local/bench.sh --preset data-path     issue 8: json/binary/grpc, batching off/on, 1-64 clients; writes docs/performance.md
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

command -v java >/dev/null || { echo "bench.sh: java not found; install a JDK 17 or newer" >&2; exit 1; }

BUILD=0
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == "--build" ]]; then BUILD=1; else ARGS+=("$arg"); fi
done

CLASSPATH_FILE="deploy/local/target/classpath.txt"
for needed in "$CLASSPATH_FILE" \
    deploy/local/target/classes/io/aiaas/localstack/bench/Benchmark.class \
    platform-api/target/quarkus-app/quarkus-run.jar \
    inference-worker/target/quarkus-app/quarkus-run.jar \
    deploy/local/target/keycloak; do
  [[ -e "$needed" ]] || BUILD=1
done

if [[ "$BUILD" == 1 ]]; then
  command -v mvn >/dev/null || { echo "bench.sh: mvn not found; install Maven 3.8+" >&2; exit 1; }
  echo "building all modules (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

OUT="$ROOT/deploy/local/target/bench/$(date -u +%Y%m%d-%H%M%S)"

# --out given by the caller comes later on the command line and wins
exec java \
  -Daiaas.repo.root="$ROOT" \
  -Daiaas.keycloak.dist="$ROOT/deploy/local/target/keycloak" \
  -Dslf4j.internal.verbosity=ERROR \
  -cp "deploy/local/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.aiaas.localstack.bench.Benchmark --out "$OUT" ${ARGS[@]+"${ARGS[@]}"}
