/**
 * The hub runtime, in ASP.NET Core's three roles: the connection handler (handshake, framing and the
 * connection's lifecycle), the dispatcher of each hub (built once: method registry, argument binding, a
 * filter pipeline composed once, the invoke, stream and client-stream paths, completions and errors with
 * the reference's texts) and the per-connection context (state and writes, with no reference back to the
 * handler). The dispatcher takes a protocol-neutral invocation, so any wire protocol can drive it and reach
 * the same {@link io.github.springsignalr.Hub @Hub} beans. Beside it sits the {@link HubLifetimeManager},
 * the only way anything reaches a connection, with its in-memory implementation; {@link HubRuntime}
 * assembles an application's hubs and keeps the manager of each hub class.
 *
 * <p>What an application may use or replace here: {@link HubLifetimeManager} and
 * {@link HubLifetimeManagerFactory} (a backplane), and for another wire protocol {@link HubConnectionHandler#open}
 * with {@link HubDispatcher}. The other public types are public for the layers above (Redis, the web
 * adapters, the auto-configuration) and may change between releases; hubs themselves see only the API
 * of the root package.
 */
@NullMarked
package io.github.springsignalr.hub;

import org.jspecify.annotations.NullMarked;
