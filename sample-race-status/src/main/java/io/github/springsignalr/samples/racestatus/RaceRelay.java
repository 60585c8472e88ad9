package io.github.springsignalr.samples.racestatus;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import io.github.springsignalr.HubException;
import io.github.springsignalr.autoconfigure.redis.SignalRRedisProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Requests from the nodes without the simulator to the node that runs it, over Redis pub/sub next to the
 * SignalR backplane (as RedMist asks for a full status through Redis). A client on another node that
 * subscribes to an event must get the current full status before any patch, and the current control log
 * or in-car data at once; only the simulator's node has them, so the subscribing node asks it, and that
 * node sends them to the connection through the backplane (and adds it to the event's V1 group itself,
 * so that no patch reaches it before its full status). Exists with {@code signalr.backplane=redis} (or
 * the deprecated {@code signalr.redis.enabled=true}), on the backplane's Redis ({@code signalr.redis.url}).
 */
@Component
@ConditionalOnExpression("'${signalr.backplane:none}'.equalsIgnoreCase('redis') or ${signalr.redis.enabled:false}")
class RaceRelay implements DisposableBean {

	private static final Log logger = LogFactory.getLog(RaceRelay.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	/** What a subscribing node asks for. */
	enum Kind {

		/** Add the connection to the event's V1 group and send it the full status. */
		EVENT,

		/** Send the connection the event's control log, or a car's when a car is given. */
		CONTROL_LOG,

		/** Check that the car is entered in the event. */
		CHECK_CAR,

		/** Send the connection a car's V1 in-car data. */
		IN_CAR,

		/** Send the connection a car's V2 in-car data. */
		IN_CAR_V2,

		/** Answer with the event's V2 session state (JSON), for the REST endpoint. */
		SESSION_STATE,

		/** Answer with the event's V1 status as clients hold it (JSON), for the REST endpoint. */
		LEGACY_PAYLOAD

	}

	/**
	 * A request.
	 * @param kind what to do
	 * @param eventId the event
	 * @param carNumber the car, "" for none
	 * @param connectionId the connection to send to
	 */
	record Request(Kind kind, int eventId, String carNumber, String connectionId) {
	}

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> publisher;

	private final StatefulRedisPubSubConnection<String, String> subscriber;

	private final String requests;

	private final String replies;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, Sinks.One<String>> pending = new ConcurrentHashMap<>();

	private volatile @Nullable Function<Request, Mono<String>> server;

	RaceRelay(SignalRRedisProperties redis) {
		String url = StringUtils.hasText(redis.getUrl()) ? redis.getUrl() : "redis://localhost:6379";
		this.requests = redis.getChannelPrefix() + "race:requests";
		this.replies = redis.getChannelPrefix() + "race:replies:" + UUID.randomUUID();
		this.client = RedisClient.create(url);
		try {
			this.publisher = this.client.connect();
			this.subscriber = this.client.connectPubSub();
			this.subscriber.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String message) {
					onMessage(channel, message);
				}
			});
			this.subscriber.sync().subscribe(this.replies);
		}
		catch (RuntimeException ex) {
			this.client.shutdown();
			throw ex;
		}
	}

	/**
	 * Serves the other nodes' requests on this node, the one that runs the simulator.
	 * @param handler carries a request out and answers with its result ("" when it has none)
	 */
	void serve(Function<Request, Mono<String>> handler) {
		this.server = handler;
		this.subscriber.sync().subscribe(this.requests);
	}

	/**
	 * Asks the simulator's node to carry out a request; completes when it did.
	 * @return empty, or an error with the other node's message
	 */
	Mono<Void> request(Request request) {
		return query(request).then();
	}

	/**
	 * Asks the simulator's node to carry out a request and answer with its result.
	 * @return the result, empty when it has none, or an error with the other node's message
	 */
	Mono<String> query(Request request) {
		long id = this.ids.incrementAndGet();
		Sinks.One<String> reply = Sinks.one();
		this.pending.put(id, reply);
		String message = String.join("\n", Long.toString(id), this.replies, request.kind().name(),
				Integer.toString(request.eventId()), request.carNumber(), request.connectionId());
		return this.publisher.reactive()
			.publish(this.requests, message)
			.flatMap((receivers) -> (receivers == 0)
					? Mono.<String>error(new HubException("No node runs the race simulator."))
					: reply.asMono())
			.timeout(TIMEOUT, Mono.error(new HubException("The race simulator did not answer.")))
			.flatMap((answer) -> {
				// "0<result>" when carried out, "1<message>" when refused
				String text = answer.substring(1);
				if (answer.startsWith("1")) {
					return Mono.<String>error(new HubException(text));
				}
				return text.isEmpty() ? Mono.<String>empty() : Mono.just(text);
			})
			.doFinally((signal) -> this.pending.remove(id));
	}

	private void onMessage(String channel, String message) {
		String[] parts = message.split("\n", -1);
		if (channel.equals(this.replies) && parts.length == 2) {
			Sinks.One<String> reply = this.pending.remove(Long.parseLong(parts[0]));
			if (reply != null) {
				reply.tryEmitValue(parts[1]);
			}
		}
		else if (channel.equals(this.requests) && parts.length == 6) {
			Function<Request, Mono<String>> handler = this.server;
			if (handler == null) {
				return;
			}
			Request request = new Request(Kind.valueOf(parts[2]), Integer.parseInt(parts[3]), parts[4], parts[5]);
			Mono.defer(() -> handler.apply(request))
				.defaultIfEmpty("")
				.map((result) -> "0" + result)
				.onErrorResume((ex) -> {
					if (!(ex instanceof HubException)) {
						logger.warn("Relayed " + request + " failed", ex);
					}
					return Mono.just("1" + ((ex instanceof HubException) ? String.valueOf(ex.getMessage()) : "Relay failed."));
				})
				.flatMap((text) -> this.publisher.reactive()
					.publish(parts[1], parts[0] + "\n" + text.replace('\n', ' ')))
				.subscribe(null, (ex) -> logger.warn("Could not answer " + request, ex));
		}
	}

	@Override
	public void destroy() {
		this.subscriber.close();
		this.publisher.close();
		this.client.shutdown();
	}
}
