/**
 * Several nodes of one application sharing a real Redis through the backplane, behind a round-robin
 * proxy without affinity, driven by the official clients. (Outside {@code io.github.springsignalr.interop},
 * whose component scan would otherwise pick these nodes' application up into the conformance server.)
 */
@NullMarked
package io.github.springsignalr.scaleout;

import org.jspecify.annotations.NullMarked;
