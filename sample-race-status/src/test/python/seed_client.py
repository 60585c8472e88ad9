"""Runs the RedMist guide's Python snippet (../js/seed/redmist_client.py, unmodified) against the sample.

The snippet builds a signalrcore connection with an access token factory and automatic reconnect, and
starts it. What the guide leaves to the reader is provided here: get_access_token() (a development
token from /dev/token), the sample's address instead of https://api.redmist.racing, and what a script
does next: subscribe to an event and print the updates. Then the connection is dropped, as a network
would, and the script checks that signalrcore reconnects, that the handler subscribes again and that
updates keep coming.

usage: python seed_client.py <base url>
"""

import base64
import gzip
import json
import logging
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

from signalrcore.hub_connection_builder import HubConnectionBuilder

BASE_URL = sys.argv[1].rstrip("/")
EVENT_ID = 123
TIMEOUT_SECONDS = 30
SEED = Path(__file__).resolve().parent.parent / "js" / "seed" / "redmist_client.py"

tokens_issued = 0
lock = threading.Lock()
received = {"full": 0, "patch": 0}
updated = threading.Condition(lock)
subscriptions = 0


def get_access_token():
    """The token function the guide leaves to the reader: a development token of the sample."""
    global tokens_issued
    request = urllib.request.Request(BASE_URL + "/dev/token?sub=python-seed", method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        tokens_issued += 1
        return response.read().decode("utf-8")


def fail(message):
    print("FAILED: " + message, flush=True)
    sys.exit(1)


# the guide's URL is RedMist's; point it at the sample
with_url = HubConnectionBuilder.with_url
HubConnectionBuilder.with_url = lambda self, url, options=None: with_url(
    self, url.replace("https://api.redmist.racing", BASE_URL), options)

# the guide's snippet, as published: builds the connection and starts it
namespace = {"__name__": "redmist_client", "get_access_token": get_access_token}
exec(compile(SEED.read_text(encoding="utf-8"), str(SEED), "exec"), namespace)
hub = namespace["hub"]
logging.getLogger("SignalRCoreClient").setLevel(logging.WARNING)


def wait_until(what, condition, timeout=TIMEOUT_SECONDS):
    end = time.monotonic() + timeout
    with updated:
        while not condition():
            remaining = end - time.monotonic()
            if remaining <= 0:
                fail("timed out waiting for " + what)
            updated.wait(min(remaining, 0.2))


def on_message(arguments):
    message = arguments[0]
    if message.startswith("H4sI"):
        status = json.loads(gzip.decompress(base64.b64decode(message)))
        print(f"full status: {status['n']}, {len(status['cps'])} cars, flag {status['es']['f']}, "
              f"race time {status['es']['rt']}", flush=True)
        kind = "full"
    else:
        patch = json.loads(message)
        if patch.get("t") != "patch":
            fail("unexpected message " + message[:200])
        changed = sorted({operation["path"].split("/")[-1] for operation in patch["patches"]})
        if received["patch"] < 5:
            print(f"patch: {len(patch['patches'])} operations ({', '.join(changed[:8])})", flush=True)
        kind = "patch"
    with updated:
        received[kind] += 1
        updated.notify_all()


def subscribe():
    global subscriptions
    done = threading.Event()
    errors = []

    def completed(message):
        if getattr(message, "error", None):
            errors.append(message.error)
        done.set()

    hub.send("SubscribeToEventV2", [EVENT_ID], on_invocation=completed)
    if not done.wait(TIMEOUT_SECONDS):
        fail("SubscribeToEventV2 did not complete")
    if errors:
        fail("SubscribeToEventV2 failed: " + str(errors))
    subscriptions += 1
    print(f"subscribed to event {EVENT_ID}", flush=True)


reconnected = threading.Event()


def on_reconnect():
    # the guide's best practice: subscribe again after reconnecting, on another thread than the client's
    reconnected.set()


hub.on("ReceiveMessage", on_message)
hub.on_reconnect(on_reconnect)

wait_until("the connection", lambda: hub.transport is not None and hub.transport.is_connected())
if tokens_issued != 1:
    fail(f"{tokens_issued} tokens requested")
subscribe()
wait_until("a full status and patches", lambda: received["full"] >= 1 and received["patch"] >= 10)
print(f"updates: {received['full']} full, {received['patch']} patches", flush=True)

# a dropped connection: signalrcore reconnects by itself
fulls_before = received["full"]
patches_before = received["patch"]
hub.transport._client.sock.shutdown(socket.SHUT_RDWR)
print("connection dropped", flush=True)
if not reconnected.wait(TIMEOUT_SECONDS):
    fail("signalrcore did not reconnect")
wait_until("the reconnected connection", lambda: hub.transport.is_connected())
subscribe()
wait_until("a full status and patches after reconnecting",
           lambda: received["full"] > fulls_before and received["patch"] >= patches_before + 10)
print(f"reconnected with {tokens_issued} tokens requested; updates: {received['full']} full, "
      f"{received['patch']} patches", flush=True)
hub.stop()
print("seed python client passed", flush=True)
sys.exit(0)
