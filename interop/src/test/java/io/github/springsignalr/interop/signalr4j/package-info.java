/**
 * signalr4j 2.0.4, a Java client of the classic ASP.NET SignalR 2 protocol, against the legacy endpoint
 * on its three transports.
 */
@NullMarked
package io.github.springsignalr.interop.signalr4j;

import org.jspecify.annotations.NullMarked;
