package io.github.springsignalr.bench.peers.stomp;

/**
 * The benchmark message: the sender's {@code System.nanoTime()} and a payload, both delivered back unchanged.
 *
 * @param t the sender's timestamp
 * @param p the payload
 */
public record Msg(long t, String p) {
}
