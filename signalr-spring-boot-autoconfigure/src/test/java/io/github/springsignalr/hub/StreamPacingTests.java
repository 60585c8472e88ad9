package io.github.springsignalr.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server-to-client stream goes at the reader's pace: while nobody drains the connection the producer
 * is asked for few items, and it resumes when the client reads.
 */
class StreamPacingTests {

	private final ConnectionManager manager = new ConnectionManager(Duration.ofSeconds(1));

	@AfterEach
	void close() {
		this.manager.close();
	}

	/** A hub whose stream counts what it was asked to produce. */
	public static class CountingHub {

		final AtomicLong produced = new AtomicLong();

		public Flux<String> numbers() {
			return Flux.range(1, 1_000_000)
				.map((n) -> "item number " + n)
				.doOnNext((item) -> this.produced.incrementAndGet());
		}
	}

	@Test
	void slowConsumerHoldsTheProducerBackAndFastOneGetsEverything() {
		CountingHub hub = new CountingHub();
		HubConnectionHandler handler = new HubConnectionHandler("CountingHub", hub,
				HubDescriptor.of(CountingHub.class),
				List.of(new JsonHubProtocol(JsonMapper.builder().build())), HubOptions.defaults(),
				new DefaultHubLifetimeManager(), (connection) -> null,
				Schedulers.immediate());
		ConnectionRoute endpoint = new ConnectionRoute("/counting", "CountingHub", handler,
				new ConnectionOptions(EnumSet.of(TransportType.WEB_SOCKETS), Duration.ofSeconds(15), 64L * 1024 * 1024,
						64 * 1024));
		HttpConnection connection = this.manager.create(endpoint, 1);
		connection.attach(TransportType.WEB_SOCKETS, new ConnectionRequest(URI.create("ws://localhost/counting"),
				new HttpHeaders(), new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null), null, () -> {
				});
		handler.onConnected(connection).block(Duration.ofSeconds(5));
		handler.onReceived(connection, bytes("{\"protocol\":\"json\",\"version\":1}\u001e"
				+ "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Numbers\",\"arguments\":[]}\u001e"))
			.block(Duration.ofSeconds(5));

		// nobody reads: the producer stops after about the 64 KB the queue may hold
		long whileNotReading = hub.produced.get();
		assertThat(whileNotReading).isBetween(1L, 5_000L);
		assertThat(connection.queuedBytes()).isLessThan(128 * 1024);

		// the client reads everything: the stream runs to its end
		AtomicLong received = new AtomicLong();
		StepVerifier.create(connection.outbound().doOnNext((data) -> {
			connection.written(data.length);
			received.addAndGet(count(data));
		}).takeUntil((data) -> new String(data, StandardCharsets.UTF_8).contains("\"type\":3")))
			.thenConsumeWhile((data) -> true)
			.expectComplete()
			.verify(Duration.ofSeconds(60));
		assertThat(hub.produced.get()).isEqualTo(1_000_000);
		assertThat(received.get()).isGreaterThan(1_000_000);
	}

	private static long count(byte[] data) {
		long records = 0;
		for (byte b : data) {
			if (b == 0x1e) {
				records++;
			}
		}
		return records;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}
