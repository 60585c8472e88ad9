package io.github.springsignalr.bench.peers.socketio;

/**
 * A message for the members of one group (a Socket.IO room).
 *
 * @param g the group
 * @param t the sender's timestamp
 * @param p the payload
 */
public record GroupMsg(String g, long t, String p) {
}
