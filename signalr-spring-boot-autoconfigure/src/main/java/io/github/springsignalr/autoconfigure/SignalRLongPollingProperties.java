package io.github.springsignalr.autoconfigure;

import java.time.Duration;

/**
 * Long-polling transport settings.
 *
 * <p>The {@code signalr.long-polling.*} group of {@link SignalRProperties}.
 */
public class SignalRLongPollingProperties {

	/**
	 * How long a poll is held open when there is nothing to send.
	 */
	private Duration pollTimeout = Duration.ofSeconds(90);

	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	public void setPollTimeout(Duration pollTimeout) {
		this.pollTimeout = pollTimeout;
	}

}
