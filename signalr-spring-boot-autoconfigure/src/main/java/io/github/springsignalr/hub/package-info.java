/**
 * The hub runtime: handshake, dispatch of hub messages to {@link io.github.springsignalr.Hub @Hub} bean
 * methods (descriptors built once per hub class), completions and errors with the reference's texts,
 * keep-alive and timeouts.
 */
@NullMarked
package io.github.springsignalr.hub;

import org.jspecify.annotations.NullMarked;
