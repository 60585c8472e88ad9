package io.github.springsignalr.legacy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The disconnect timeout of a classic connection: started when it has no transport (after a threshold:
 * 5 s for live transports, the long-poll delay between polls), cancelled when one attaches; when it
 * expires the connection ends with a timeout.
 */
final class DisconnectTimer {

	private final Duration disconnectTimeout;

	private final Runnable expired;

	private @Nullable Disposable timer;

	private long generation;

	DisconnectTimer(Duration disconnectTimeout, Runnable expired) {
		this.disconnectTimeout = disconnectTimeout;
		this.expired = expired;
	}

	/** (Re)starts the timer: it expires after {@code threshold} plus the DisconnectTimeout. */
	synchronized void start(Duration threshold) {
		cancel();
		long started = this.generation;
		this.timer = Mono.delay(threshold.plus(this.disconnectTimeout)).subscribe((tick) -> expire(started));
	}

	/** Stops the timer. */
	synchronized void cancel() {
		this.generation++;
		Disposable timer = this.timer;
		this.timer = null;
		if (timer != null) {
			timer.dispose();
		}
	}

	private void expire(long started) {
		synchronized (this) {
			if (started != this.generation) {
				return;
			}
		}
		this.expired.run();
	}
}
