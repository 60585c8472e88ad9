package io.github.springsignalr.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.HubException;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.protocol.JsonHubProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code signalr.server.invocation} observation recorded by {@link ObservationHubFilter} around
 * invocations a client sends over the wire, and the trace it continues from the invocation's headers.
 */
class ObservationHubFilterTests {

	private static final String RS = "\u001e";

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

	private final Scheduler blocking = Schedulers.newBoundedElastic(2, 100, "observation-test");

	@AfterEach
	void dispose() {
		this.blocking.dispose();
	}

	/** A hub with a method that succeeds and one that fails. */
	public static class GreeterHub {

		public String greet(String name) {
			return "Hello " + name;
		}

		public void fail() {
			throw new HubException("no");
		}
	}

	private RecordingConnection connect(TestObservationRegistry registry) {
		HubOptions options = new HubOptions(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(15),
				32 * 1024, 1, false, 10);
		HubConnectionHandler handler = new HubConnectionHandler("GreeterHub", new GreeterHub(),
				HubDescriptor.of(GreeterHub.class), List.of(new JsonHubProtocol(JsonMapper.builder().build())), options,
				new DefaultHubLifetimeManager(), (connection) -> null, this.blocking);
		handler.setFilters(List.of(new ObservationHubFilter(registry)));
		RecordingConnection connection = new RecordingConnection("conn-1");
		this.handler = handler;
		StepVerifier.create(handler.onConnected(connection)).expectComplete().verify(TIMEOUT);
		receive(connection, "{\"protocol\":\"json\",\"version\":1}" + RS);
		assertThat(connection.awaitTexts(1, TIMEOUT)).containsExactly("{}" + RS);
		return connection;
	}

	private HubConnectionHandler handler;

	private void receive(RecordingConnection connection, String text) {
		StepVerifier.create(this.handler.onReceived(connection, text.getBytes(StandardCharsets.UTF_8)))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void recordsInvocationWithHubMethodOutcomeAndIds() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		RecordingConnection connection = connect(registry);

		receive(connection, "{\"type\":1,\"invocationId\":\"7\",\"target\":\"Greet\",\"arguments\":[\"Ann\"]}" + RS);

		assertThat(connection.awaitTexts(2, TIMEOUT).get(1))
			.isEqualTo("{\"type\":3,\"invocationId\":\"7\",\"result\":\"Hello Ann\"}" + RS);
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("signalr.server.invocation")
			.that()
			.hasContextualNameEqualTo("GreeterHub/Greet")
			.hasLowCardinalityKeyValue("signalr.hub", "GreeterHub")
			.hasLowCardinalityKeyValue("signalr.method", "Greet")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasLowCardinalityKeyValue("exception", "none")
			.hasHighCardinalityKeyValue("signalr.connection.id", "conn-1")
			.hasHighCardinalityKeyValue("signalr.invocation.id", "7")
			.hasBeenStarted()
			.hasBeenStopped();
	}

	@Test
	void recordsHubErrorOutcomeOfAFailedInvocation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		RecordingConnection connection = connect(registry);

		receive(connection, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Fail\",\"arguments\":[]}" + RS);

		assertThat(connection.awaitTexts(2, TIMEOUT).get(1)).contains("\"error\":");
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("signalr.server.invocation")
			.that()
			.hasLowCardinalityKeyValue("outcome", "HUB_ERROR")
			.hasLowCardinalityKeyValue("exception", "HubException")
			.hasError()
			.hasBeenStopped();
	}

	@Test
	void readsTraceContextFromTheInvocationHeaders() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		RecordingConnection connection = connect(registry);
		String traceparent = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

		receive(connection, "{\"type\":1,\"invocationId\":\"2\",\"target\":\"Greet\",\"arguments\":[\"Bo\"],"
				+ "\"headers\":{\"traceparent\":\"" + traceparent + "\"}}" + RS);

		connection.awaitTexts(2, TIMEOUT);
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("signalr.server.invocation")
			.that()
			.satisfies((context) -> {
				HubInvocationObservationContext invocation = (HubInvocationObservationContext) context;
				assertThat(invocation.getGetter().get(invocation.getCarrier(), "traceparent")).isEqualTo(traceparent);
				assertThat(invocation.getInvocation().headers()).containsEntry("traceparent", traceparent);
			});
	}

	@Test
	void continuesTheClientsTraceWithATracingHandler() {
		SimpleTracer tracer = new SimpleTracer();
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new PropagatingReceiverTracingObservationHandler<>(tracer, new TraceparentPropagator(tracer)));
		RecordingConnection connection = connect(registry);

		receive(connection, "{\"type\":1,\"invocationId\":\"3\",\"target\":\"Greet\",\"arguments\":[\"Cy\"],"
				+ "\"headers\":{\"traceparent\":\"00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01\"}}" + RS);

		connection.awaitTexts(2, TIMEOUT);
		SimpleSpan span = tracer.onlySpan();
		assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
		assertThat(span.getParentId()).isEqualTo(PARENT_SPAN_ID);
		assertThat(span.getName()).isEqualTo("GreeterHub/Greet");
		assertThat(span.getTags()).containsEntry("signalr.invocation.id", "3");
	}

	/** Reads W3C {@code traceparent} into the simple tracer, as a real tracer's propagator would. */
	private record TraceparentPropagator(SimpleTracer tracer) implements Propagator {

		@Override
		public List<String> fields() {
			return List.of("traceparent");
		}

		@Override
		public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
			setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			String traceparent = getter.get(carrier, "traceparent");
			Span.Builder builder = this.tracer.spanBuilder();
			if (traceparent == null) {
				return builder;
			}
			String[] parts = traceparent.split("-");
			return builder.setParent(this.tracer.traceContextBuilder()
				.traceId(parts[1])
				.spanId(parts[2])
				.sampled(true)
				.build());
		}
	}
}
