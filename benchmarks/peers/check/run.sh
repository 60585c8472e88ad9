#!/usr/bin/env bash
# Checks each built peer (see ../build.sh) with its official client: node stomp.mjs, socketio.mjs, go-signalr.mjs.
# Not part of the test command; run by hand after changing a peer.
set -uo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm install --no-audit --no-fund --silent
status=0
run() { # name, check script, command...
	local name=$1 script=$2; shift 2
	local out; out=$(mktemp)
	"$@" 0 > "$out" 2>&1 &
	local pid=$! port=""
	for _ in $(seq 1 120); do
		port=$(awk '/^READY /{print $2; exit}' "$out")
		[ -n "$port" ] && break
		sleep 0.5
	done
	if [ -z "$port" ]; then
		echo "$name: did not start"; cat "$out"; status=1
	else
		echo "== $name on port $port"
		timeout 60 node "$script" "$port" || status=1
	fi
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$out"
}
run stomp stomp.mjs java -jar ../stomp/target/bench-peer-stomp.jar
run socketio socketio.mjs java -jar ../socketio/target/bench-peer-socketio.jar
run go-signalr go-signalr.mjs ../go-signalr/target/go-signalr
exit $status
