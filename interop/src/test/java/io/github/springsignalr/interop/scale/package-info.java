/**
 * Several nodes of one application sharing a real Redis through the backplane, behind a round-robin
 * proxy without affinity, driven by the official clients.
 */
@NullMarked
package io.github.springsignalr.interop.scale;

import org.jspecify.annotations.NullMarked;
