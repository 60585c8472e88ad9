/**
 * The real clients of classic ASP.NET SignalR 2 against the legacy endpoint of the conformance server
 * ({@code LEGACY-PROTOCOL.md} §13): the jQuery client 2.4.3 in headless Chromium, signalr4j, the Python
 * clients {@code signalr-client-threads} and {@code signalr-async}, and the Node {@code signalr-client}.
 */
@NullMarked
package io.github.springsignalr.interop.legacy;

import org.jspecify.annotations.NullMarked;
