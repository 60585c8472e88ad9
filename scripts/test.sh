#!/usr/bin/env bash
# Runs every test of the project: unit tests, integration tests with the official SignalR clients,
# the samples' tests, a bounded fuzzing run of the protocol parsers. Installs what Maven and npm
# cannot fetch (chromium for the browser test, redis-server for the backplane tests) when it runs as
# root and finds it missing; otherwise it names exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "error: '$1' is required ($2)" >&2
		exit 1
	fi
}
need java "JDK 17 or newer"
need mvn "Apache Maven 3.8 or newer"
need node "Node.js 20 with npm"
need npm "npm, which comes with Node.js"
need python3 "Python 3.11 with pip and venv (for the Python clients' tests)"
need go "Go 1.22 or newer (for the Go client's tests)"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
		echo "Installing ${missing[*]} from Debian's packages"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "warning: not root, so not installing: ${missing[*]}" >&2
		echo "         install them with: sudo apt-get install ${missing[*]}" >&2
		echo "         (the tests that need them are skipped without them)" >&2
	fi
fi

# -Pfuzz: after the corpora's regression run, each fuzz target fuzzes for 15-20 s (findings: target/jazzer)
exec mvn -B -ntp verify -Pfuzz "$@"
