package io.github.springsignalr.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.springsignalr.connection.ConnectionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stopped node refuses negotiates (503) until it is started again: Spring's test context cache and
 * any other lifecycle restart must find the node serving as before.
 */
class SignalRShutdownLifecycleTests {

	@Test
	void refusesNegotiatesWhileStoppedAndAcceptsThemAgainWhenRestarted() {
		try (ConnectionManager connections = new ConnectionManager(Duration.ofSeconds(1))) {
			SignalRShutdownLifecycle lifecycle = new SignalRShutdownLifecycle(connections, () -> 0,
					Duration.ofSeconds(1));
			lifecycle.start();
			assertThat(connections.isShuttingDown()).isFalse();

			lifecycle.stop();
			assertThat(lifecycle.isRunning()).isFalse();
			assertThat(connections.isShuttingDown()).as("negotiates answered with 503").isTrue();

			lifecycle.start();
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(connections.isShuttingDown()).as("negotiates served again").isFalse();
		}
	}
}
