package io.github.springsignalr.observation;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * The SignalR meters, named after OpenTelemetry's SignalR semantic conventions where they exist:
 * <ul>
 * <li>{@code signalr.server.active_connections} (gauge; tags {@code signalr.hub}, {@code signalr.transport})</li>
 * <li>{@code signalr.server.connection.duration} (timer; tags {@code signalr.hub}, {@code signalr.transport},
 * {@code signalr.connection.status} = {@code normal_closure} | {@code timeout} | {@code app_shutdown})</li>
 * <li>{@code signalr.server.connections.closed} (counter of connections the server closed for a reason;
 * tags {@code signalr.hub}, {@code signalr.transport}, {@code signalr.close.reason} = {@code overflow} |
 * {@code client_timeout} | {@code protocol_error})</li>
 * <li>{@code signalr.server.connections.aborted} (counter of connections whose socket the server aborted
 * because their Close could not be written within {@code signalr.close-timeout}, such as a client that
 * stopped reading; tags {@code signalr.hub}, {@code signalr.transport})</li>
 * <li>{@code signalr.server.messages.received} and {@code signalr.server.messages.sent} (counters of hub
 * messages), {@code signalr.server.messages.received.bytes} and {@code signalr.server.messages.sent.bytes}
 * (counters of bytes); tags {@code signalr.hub}, {@code signalr.transport}, {@code signalr.protocol}</li>
 * <li>{@code signalr.server.backplane.publish.duration} (timer until the broker confirmed a publish) and
 * {@code signalr.server.backplane.messages.received} (counter); tag {@code signalr.channel.type}
 * ({@code all}, {@code connection}, {@code group}, {@code user}, {@code ack}, {@code return},
 * {@code internal})</li>
 * </ul>
 * Transports are tagged {@code web_sockets}, {@code server_sent_events} and {@code long_polling}. No tag
 * carries a connection id, user, group or invocation id, so the number of meters depends only on the
 * hubs, transports and protocols in use. Meters are created on first use; before the binder is bound
 * to a registry nothing is recorded.
 */
public final class SignalRMeters implements SignalRMetrics, MeterBinder {

	private final CompositeMeterRegistry registry = new CompositeMeterRegistry();

	private volatile boolean bound;

	private final Map<ConnectionKey, ConnectionMeters> connectionMeters = new ConcurrentHashMap<>();

	private final Map<MessageKey, HubMessageMeters> messageMeters = new ConcurrentHashMap<>();

	private final Map<String, Timer> publishTimers = new ConcurrentHashMap<>();

	private final Map<String, Counter> backplaneReceived = new ConcurrentHashMap<>();

	/** Adds a registry the meters are registered in; each is registered once per registry. */
	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry.add(registry);
		this.bound = true;
	}

	@Override
	public ConnectionMetrics connectionStarted(String hub, TransportType transport) {
		if (!this.bound) {
			return ConnectionMetrics.NOOP;
		}
		ConnectionMeters meters = this.connectionMeters.computeIfAbsent(new ConnectionKey(hub, transport),
				(key) -> new ConnectionMeters(this.registry, key));
		meters.active.incrementAndGet();
		long started = System.nanoTime();
		return new ConnectionMetrics() {

			@Override
			public void ended(ConnectionStatus status, @Nullable CloseReason reason) {
				meters.ended(status, reason, System.nanoTime() - started);
			}

			@Override
			public void aborted() {
				meters.aborted.increment();
			}
		};
	}

	@Override
	public MessageMetrics messages(String hub, TransportType transport, String protocol) {
		if (!this.bound) {
			return MessageMetrics.NOOP;
		}
		return this.messageMeters.computeIfAbsent(new MessageKey(hub, transport, protocol.toLowerCase(Locale.ROOT)),
				(key) -> new HubMessageMeters(this.registry, key));
	}

	@Override
	public boolean isBackplaneRecorded() {
		return this.bound;
	}

	@Override
	public void backplanePublished(String channelType, long nanos) {
		this.publishTimers
			.computeIfAbsent(channelType, (type) -> Timer.builder("signalr.server.backplane.publish.duration")
				.description("Time until the backplane's broker confirmed a published message")
				.tag("signalr.channel.type", type)
				.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void backplaneReceived(String channelType) {
		this.backplaneReceived
			.computeIfAbsent(channelType, (type) -> Counter.builder("signalr.server.backplane.messages.received")
				.description("Messages the backplane received from other nodes and itself")
				.tag("signalr.channel.type", type)
				.register(this.registry))
			.increment();
	}

	/** The value of the {@code signalr.transport} tag, as OpenTelemetry names the transports. */
	static String transportTag(TransportType transport) {
		return transport.name().toLowerCase(Locale.ROOT);
	}

	private record ConnectionKey(String hub, TransportType transport) {
	}

	private record MessageKey(String hub, TransportType transport, String protocol) {
	}

	/** The meters of the connections of one hub over one transport. */
	private static final class ConnectionMeters {

		final AtomicLong active = new AtomicLong();

		private final Timer[] durations = new Timer[ConnectionStatus.values().length];

		private final Counter[] closed = new Counter[CloseReason.values().length];

		final Counter aborted;

		ConnectionMeters(MeterRegistry registry, ConnectionKey key) {
			Tags tags = Tags.of("signalr.hub", key.hub(), "signalr.transport", transportTag(key.transport()));
			Gauge.builder("signalr.server.active_connections", this.active, AtomicLong::get)
				.description("Number of connections that are currently active on the server")
				.tags(tags)
				.register(registry);
			for (ConnectionStatus status : ConnectionStatus.values()) {
				this.durations[status.ordinal()] = Timer.builder("signalr.server.connection.duration")
					.description("Duration of connections on the server")
					.tags(tags)
					.tag("signalr.connection.status", status.tagValue())
					.register(registry);
			}
			for (CloseReason reason : CloseReason.values()) {
				this.closed[reason.ordinal()] = Counter.builder("signalr.server.connections.closed")
					.description("Connections the server closed because of an error")
					.tags(tags)
					.tag("signalr.close.reason", reason.tagValue())
					.register(registry);
			}
			this.aborted = Counter.builder("signalr.server.connections.aborted")
				.description("Connections whose socket the server aborted because their Close could not be written "
						+ "within the close timeout")
				.tags(tags)
				.register(registry);
		}

		void ended(ConnectionStatus status, @Nullable CloseReason reason, long nanos) {
			this.active.decrementAndGet();
			this.durations[status.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
			if (reason != null) {
				this.closed[reason.ordinal()].increment();
			}
		}
	}

	/** The message counters of one hub, transport and protocol; shared by their connections. */
	private static final class HubMessageMeters implements MessageMetrics {

		private final Counter received;

		private final Counter receivedBytes;

		private final Counter sent;

		private final Counter sentBytes;

		HubMessageMeters(MeterRegistry registry, MessageKey key) {
			Tags tags = Tags.of("signalr.hub", key.hub(), "signalr.transport", transportTag(key.transport()),
					"signalr.protocol", key.protocol());
			this.received = Counter.builder("signalr.server.messages.received")
				.description("Hub messages received from clients")
				.tags(tags)
				.register(registry);
			this.receivedBytes = Counter.builder("signalr.server.messages.received.bytes")
				.description("Bytes received from clients after the handshake")
				.baseUnit("bytes")
				.tags(tags)
				.register(registry);
			this.sent = Counter.builder("signalr.server.messages.sent")
				.description("Hub messages sent to clients")
				.tags(tags)
				.register(registry);
			this.sentBytes = Counter.builder("signalr.server.messages.sent.bytes")
				.description("Bytes of hub messages sent to clients")
				.baseUnit("bytes")
				.tags(tags)
				.register(registry);
		}

		@Override
		public void received(int messages, int bytes) {
			if (messages > 0) {
				this.received.increment(messages);
			}
			this.receivedBytes.increment(bytes);
		}

		@Override
		public void sent(int bytes) {
			this.sent.increment();
			this.sentBytes.increment(bytes);
		}
	}
}
