package io.github.springsignalr.legacy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The timings and limits of the classic ASP.NET SignalR 2 endpoint, with the reference's defaults.
 * @param keepAlive how often a keep-alive is written on an open transport; {@code null} (or zero) for
 * none, the webSockets, serverSentEvents and foreverFrame streams then ending after the connection timeout
 * @param disconnectTimeout how long a connection without a transport lives on (after the transport's
 * threshold) before it ends with a timeout
 * @param connectionTimeout how long a long poll is held open (and a stream, without keep-alive)
 * @param transportConnectTimeout how long clients wait for a transport to start (told in negotiate)
 * @param longPollDelay how long long-polling clients wait between polls
 * @param messageBufferSize the most messages a connection keeps for a client that has not seen them
 * @param messageBufferBytes the most bytes a connection keeps for a client that has not seen them
 * @param jsonp whether JSONP requests ({@code callback}) are answered
 */
public record LegacyOptions(@Nullable Duration keepAlive, Duration disconnectTimeout, Duration connectionTimeout,
		Duration transportConnectTimeout, Duration longPollDelay, int messageBufferSize, long messageBufferBytes,
		boolean jsonp) {

	/** A zero or negative keep-alive is none. */
	public LegacyOptions {
		if (keepAlive != null && (keepAlive.isZero() || keepAlive.isNegative())) {
			keepAlive = null;
		}
	}

	/** How long a forever transport's connection waits before its disconnect timeout starts (reference: 5 s). */
	static final Duration FOREVER_DISCONNECT_THRESHOLD = Duration.ofSeconds(5);

	/** The reference's defaults. */
	public static LegacyOptions defaults() {
		return new LegacyOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(110),
				Duration.ofSeconds(5), Duration.ZERO, 1000, 4L * 1024 * 1024, false);
	}

	/** The keep-alive timeout told to clients: twice the keep-alive, or {@code null} without keep-alive. */
	public @Nullable Duration keepAliveTimeout() {
		Duration keepAlive = this.keepAlive;
		return (keepAlive != null) ? keepAlive.multipliedBy(2) : null;
	}
}
