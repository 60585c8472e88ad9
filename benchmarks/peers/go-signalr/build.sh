#!/usr/bin/env bash
# Builds the Go SignalR peer into target/go-signalr, fetching github.com/philippseith/signalr (pinned in go.mod)
# through the Go module proxy. The binary is never committed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p target
go build -trimpath -o target/go-signalr .
echo "built $(pwd)/target/go-signalr"
