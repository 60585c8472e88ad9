package io.github.springsignalr.hub;

import java.time.Instant;

import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.protocol.HandshakeProtocol;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * The timers of one hub's connections, run on each connection's heartbeat (once a second): the
 * handshake timeout, authentication expiry, keep-alive Pings and the client timeout. One per hub; the
 * per-connection clocks are fields of {@link HubConnectionContext}.
 */
final class HubHeartbeat {

	private final HubOptions options;

	private final byte[] handshakeCanceled = HandshakeProtocol.errorResponse("Handshake was canceled.");

	private final SerializedHubMessage ping = new SerializedHubMessage(HubMessage.Ping.INSTANCE);

	HubHeartbeat(HubOptions options) {
		this.options = options;
	}

	/**
	 * Runs on a connection's heartbeat: handshake timeout, authentication expiry, stateful reconnect Acks,
	 * keep-alive Ping, client timeout.
	 */
	void tick(HubConnectionContext context) {
		HubOptions options = this.options;
		if (context.closing) {
			return;
		}
		long now = System.nanoTime();
		if (!context.handshakeDone()) {
			// lastSentNanos is the connection's creation until the handshake is done
			if (now - context.lastSentNanos >= options.handshakeTimeout().toNanos()) {
				HubLog.handshakeCanceled(context.connectionId());
				context.markClosing();
				context.writeRaw(this.handshakeCanceled);
				context.connection().close();
			}
			return;
		}
		Instant expiry = context.authenticationExpiry;
		if (expiry != null && Instant.now().isAfter(expiry)) {
			// the token ran out: the client may come back with a fresh one
			context.closeGracefully(new HubMessage.Close(null, true));
			return;
		}
		MessageBuffer buffer = context.messageBuffer();
		if (buffer != null) {
			byte[] ack = buffer.ackIfDue();
			if (ack != null) {
				context.connection().send(ack);
			}
		}
		if (context.sentSinceTick) {
			context.sentSinceTick = false;
			context.lastSentNanos = now;
		}
		else if (now - context.lastSentNanos >= options.keepAliveInterval().toNanos()
				&& context.connection().feature(ConnectionFeatures.InherentKeepAlive.class) == null) {
			// long polling keeps itself alive with its polls
			context.write(this.ping);
			context.sentSinceTick = false;
			context.lastSentNanos = now;
		}
		InvocationLimiter limiter = context.limiterIfCreated();
		if (limiter != null && limiter.hasWaiters()) {
			// the reader is paused behind a running invocation: the client's silence is ours
			context.lastReceivedNanos = now;
		}
		if (context.clientTimeoutActive && now - context.lastReceivedNanos >= options.clientTimeoutInterval().toNanos()) {
			HubLog.clientTimeout(context.connectionId(), options.clientTimeoutInterval().toMillis());
			context.closeWithError(new OperationCanceledException(
					"Client hasn't sent a message/ping within the configured signalr.hub.client-timeout-interval."), true);
		}
	}

}
