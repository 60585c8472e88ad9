package io.github.springsignalr.interop;

import io.github.springsignalr.Hub;
import io.github.springsignalr.TransportType;

/** The test hub again, without WebSockets, as the reference's {@code /testhub-nowebsockets}. */
@Hub(value = "/testhub-nowebsockets", transports = { TransportType.SERVER_SENT_EVENTS, TransportType.LONG_POLLING })
public class NoWebSocketsTestHub extends TestHub {
}
