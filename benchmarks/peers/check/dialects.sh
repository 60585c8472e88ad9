#!/usr/bin/env bash
# Checks the load generator's dialects for the peers (StompDialect, SocketIoDialect, and the SignalR dialects
# against the Go server) with DialectCheck.java, after check/run.sh has shown the servers are right.
# Needs the peers built (../build.sh). Not part of the test command.
set -uo pipefail
cd "$(dirname "$0")"
bench=$(cd ../.. && pwd)
cp_file=$(mktemp)
mvn -B -q -f "$bench/pom.xml" -pl loadgen compile dependency:build-classpath -Dmdep.outputFile="$cp_file" || exit 1
cp="$bench/loadgen/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
status=0
run() { # label, dialect, path, command...
	local label=$1 dialect=$2 path=$3; shift 3
	local out; out=$(mktemp)
	"$@" 0 > "$out" 2>&1 &
	local pid=$! port=""
	for _ in $(seq 1 120); do
		port=$(awk '/^READY /{print $2; exit}' "$out")
		[ -n "$port" ] && break
		sleep 0.5
	done
	if [ -z "$port" ]; then
		echo "$label: did not start"; cat "$out"; status=1
	else
		echo "== $label ($dialect) on port $port"
		timeout 120 java -cp "$cp" DialectCheck.java "$dialect" "$path" "$port" > "$out.check" 2>&1
		local rc=$?
		grep -v ' DEBUG ' "$out.check"
		rm -f "$out.check"
		[ "$rc" = 0 ] || status=1
	fi
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$out"
}
d=io.github.springsignalr.bench.loadgen.dialect
run stomp $d.StompDialect /stomp java -jar ../stomp/target/bench-peer-stomp.jar
run socketio $d.SocketIoDialect /socket.io/ java -jar ../socketio/target/bench-peer-socketio.jar
run go-signalr signalr-json /bench ../go-signalr/target/go-signalr
run go-signalr signalr-msgpack /bench ../go-signalr/target/go-signalr
exit $status
