/**
 * Security tests against the conformance server: the official JavaScript, Java and Python clients on
 * {@code /authorizedhub} with bearer tokens, and plain HTTP and WebSocket requests for every refusal
 * (stolen and guessed connection tokens, forbidden hubs and methods, origins, tokens in logs).
 */
@NullMarked
package io.github.springsignalr.interop.security;

import org.jspecify.annotations.NullMarked;
