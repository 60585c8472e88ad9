package io.github.springsignalr.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code signalr.hub.stateful-reconnect-buffer-size}: a stateful-reconnect client that reads but does not
 * acknowledge receives about the buffer's worth of messages, then the rest as its Acks make room, in order;
 * a server stream waits for the Acks; a client that falls further behind than the outbound buffer is
 * disconnected instead of growing the server's memory.
 */
class StatefulReconnectBufferTests {

	private static final long BUFFER = 10_000;

	private static final Pattern NUMBER = Pattern.compile("\"target\":\"Number\",\"arguments\":\\[(\\d+)]");

	private final ConnectionManager manager = new ConnectionManager(Duration.ofSeconds(1));

	private final List<String> frames = new CopyOnWriteArrayList<>();

	private final AtomicLong lastNumber = new AtomicLong();

	private final AtomicLong records = new AtomicLong();

	private volatile boolean completed;

	private volatile boolean outboundEnded;

	private @org.jspecify.annotations.Nullable Disposable reader;

	@AfterEach
	void close() {
		if (this.reader != null) {
			this.reader.dispose();
		}
		this.manager.close();
	}

	/** Sends numbered messages to its caller, and streams. */
	public static class NumbersHub {

		final AtomicLong produced = new AtomicLong();

		public void sendNumbers(int count, HubCallerClients clients) {
			for (int i = 1; i <= count; i++) {
				clients.caller().send("Number", i);
			}
		}

		public Flux<String> stream() {
			return Flux.range(1, 20_000).map((n) -> "item number " + n).doOnNext((item) -> this.produced.incrementAndGet());
		}
	}

	@Test
	void unacknowledgedClientGetsAboutTheBufferThenTheRestAsItAcknowledges() {
		NumbersHub hub = new NumbersHub();
		HttpConnection connection = connect(hub, 1024 * 1024);
		send(connection, invocation("SendNumbers", 2000));

		// no Ack yet: only about the buffer's worth reached the wire (each Number message is ~50 bytes)
		await().atMost(Duration.ofSeconds(10)).until(() -> this.lastNumber.get() > 0);
		long beforeAck = settledNumber();
		assertThat(beforeAck).isBetween(BUFFER / 60, BUFFER / 30 + 2);

		// every Ack lets more through, until all 2 000 arrived once each and in order
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			send(connection, "{\"type\":8,\"sequenceId\":" + this.records.get() + "}\u001e");
			assertThat(this.lastNumber.get()).isEqualTo(2000);
		});
		assertThat(numbers()).containsExactlyElementsOf(range(2000));
		assertThat(this.outboundEnded).isFalse();
	}

	@Test
	void serverStreamWaitsForTheClientsAcks() {
		NumbersHub hub = new NumbersHub();
		HttpConnection connection = connect(hub, 1024 * 1024);
		send(connection, "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Stream\",\"arguments\":[]}\u001e");

		// the client reads everything but acknowledges nothing: the producer is held back
		await().atMost(Duration.ofSeconds(10)).until(() -> hub.produced.get() > 0);
		long held = settled(hub.produced::get);
		assertThat(held).isLessThan(2_000);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
			send(connection, "{\"type\":8,\"sequenceId\":" + this.records.get() + "}\u001e");
			assertThat(this.completed).as("completed after %s items", hub.produced.get()).isTrue();
		});
		assertThat(hub.produced.get()).isEqualTo(20_000);
	}

	@Test
	void clientFurtherBehindThanTheOutboundBufferIsDisconnected() {
		NumbersHub hub = new NumbersHub();
		HttpConnection connection = connect(hub, 20_000);
		send(connection, invocation("SendNumbers", 2000));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.outboundEnded);
		// what was sent before the overflow arrived in order; nothing after it
		List<Long> numbers = numbers();
		assertThat(numbers).isNotEmpty().containsExactlyElementsOf(range(numbers.size()));
		assertThat(numbers.size()).isLessThan(2000);
	}

	private HttpConnection connect(NumbersHub hub, long outboundBufferSize) {
		HubOptions options = new HubOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(15),
				32 * 1024, 1, false, 10, null, BUFFER);
		HubConnectionHandler handler = new HubConnectionHandler("NumbersHub", hub, HubDescriptor.of(NumbersHub.class),
				List.of(new JsonHubProtocol(JsonMapper.builder().build())), options,
				new DefaultHubLifetimeManager(), (c) -> null, Schedulers.immediate());
		ConnectionRoute endpoint = new ConnectionRoute("/numbers", "NumbersHub", handler,
				new ConnectionOptions(EnumSet.of(TransportType.WEB_SOCKETS), Duration.ofSeconds(15), outboundBufferSize,
						64 * 1024, true));
		HttpConnection connection = this.manager.create(endpoint, 1);
		connection.statefulReconnect(true);
		connection.attach(TransportType.WEB_SOCKETS, new ConnectionRequest(URI.create("ws://localhost/numbers"),
				new HttpHeaders(), new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null), null, () -> {
				});
		// a client that reads promptly: the transport drains the outbound queue as it fills
		this.reader = connection.outbound().subscribe((data) -> {
			connection.written(data.length);
			String text = new String(data, StandardCharsets.UTF_8);
			this.frames.add(text);
			for (String record : text.split("\u001e")) {
				if (record.contains("\"type\":1,") || record.contains("\"type\":2,") || record.contains("\"type\":3,")) {
					this.records.incrementAndGet();
				}
				Matcher matcher = NUMBER.matcher(record);
				if (matcher.find()) {
					this.lastNumber.set(Long.parseLong(matcher.group(1)));
				}
				if (record.contains("\"type\":3,\"invocationId\":\"1\"")) {
					this.completed = true;
				}
			}
		}, (ex) -> this.outboundEnded = true, () -> this.outboundEnded = true);
		handler.onConnected(connection).block(Duration.ofSeconds(5));
		send(connection, "{\"protocol\":\"json\",\"version\":2}\u001e");
		return connection;
	}

	private void send(HttpConnection connection, String text) {
		HubConnectionHandler handler = (HubConnectionHandler) connection.route().handler();
		Mono<Void> received = handler.onReceived(connection, text.getBytes(StandardCharsets.UTF_8));
		received.subscribe();
	}

	private static String invocation(String target, int argument) {
		return "{\"type\":1,\"target\":\"" + target + "\",\"arguments\":[" + argument + "]}\u001e";
	}

	/** The last number seen once it stopped moving for half a second. */
	private long settledNumber() {
		return settled(this.lastNumber::get);
	}

	private static long settled(java.util.function.LongSupplier value) {
		long previous = -1;
		long current = value.getAsLong();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (current != previous && System.nanoTime() < deadline) {
			previous = current;
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			current = value.getAsLong();
		}
		return current;
	}

	private List<Long> numbers() {
		List<Long> numbers = new ArrayList<>();
		for (String frame : this.frames) {
			Matcher matcher = NUMBER.matcher(frame);
			while (matcher.find()) {
				numbers.add(Long.parseLong(matcher.group(1)));
			}
		}
		return numbers;
	}

	private static List<Long> range(long count) {
		List<Long> range = new ArrayList<>();
		for (long i = 1; i <= count; i++) {
			range.add(i);
		}
		return range;
	}
}
