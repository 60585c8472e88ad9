#!/usr/bin/env bash
# Builds the three benchmark peers:
#   stomp/target/bench-peer-stomp.jar        java -jar ... <port>
#   socketio/target/bench-peer-socketio.jar  java -jar ... <port>
#   go-signalr/target/go-signalr             go-signalr <port>
# Each prints "READY <port>" on stdout once it listens.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -f stomp/pom.xml package
mvn -B -q -f socketio/pom.xml package
go-signalr/build.sh
