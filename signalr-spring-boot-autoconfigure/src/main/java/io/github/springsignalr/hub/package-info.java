/**
 * The hub runtime, in ASP.NET Core's three roles: the connection handler (handshake, framing and the
 * connection's lifecycle), the dispatcher of each hub (built once: method registry, argument binding, a
 * filter pipeline composed once, the invoke, stream and client-stream paths, completions and errors with
 * the reference's texts) and the per-connection context (state and writes, with no reference back to the
 * handler). The dispatcher takes a protocol-neutral invocation, so any wire protocol can drive it and reach
 * the same {@link io.github.springsignalr.Hub @Hub} beans. Beside it sits the {@link HubLifetimeManager},
 * the only way anything reaches a connection, with its in-memory implementation and the manager of each
 * hub class.
 */
@NullMarked
package io.github.springsignalr.hub;

import org.jspecify.annotations.NullMarked;
