#!/usr/bin/env bash
# Builds and runs the whole benchmark; writes benchmarks/report/REPORT.md.
# Usage: benchmarks/run.sh [--quick] [--servers=a,b] [--scenarios=x,y] [--warmup=S] [--measure=S] [--no-build]
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
BUILD=1
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    *) ARGS+=("$arg") ;;
  esac
done
if [ "$BUILD" = 1 ]; then
  # package (never install: ~/.m2 is shared) the library and the benchmark modules; the servers' jars are
  # removed first, as an up-to-date jar is not repackaged with a changed library
  rm -f "$BENCH"/server-*/target/*.jar
  (cd "$ROOT" && mvn -B -q -pl benchmarks/loadgen,benchmarks/server-netty,benchmarks/server-webflux,benchmarks/server-signalr,benchmarks/server-tomcat,benchmarks/server-signalr-servlet \
    -am package -DskipTests)
  # the peers (STOMP, socket.io, Go SignalR) build themselves when their script is present
  if [ -x "$BENCH/peers/build.sh" ]; then
    "$BENCH/peers/build.sh"
  fi
fi
PIN=()
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
  PIN=(taskset -c 0)
else
  ARGS+=("--server-cpu=none")
fi
GEN_FLAGS="-Xms512m -Xmx2g -XX:+UseParallelGC ${BENCH_GENERATOR_FLAGS:-}"
cd "$ROOT"
exec "${PIN[@]}" java $GEN_FLAGS -jar "$BENCH/loadgen/target/loadgen.jar" --bench-dir="$BENCH" \
  "--command=benchmarks/run.sh $* (generator: ${PIN[*]} java $GEN_FLAGS)" "${ARGS[@]}"
