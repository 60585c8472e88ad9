/**
 * The legacy fixture of {@code LEGACY-PROTOCOL.md} §13: the hubs the classic ASP.NET SignalR 2 clients
 * (jQuery 2.4.3, signalr4j, the Python and Node legacy clients) call through {@code /signalr}, the
 * lifecycle counters they are checked against, and the HTTP hooks that push to them from outside.
 */
@NullMarked
package io.github.springsignalr.interop.legacy;

import org.jspecify.annotations.NullMarked;
