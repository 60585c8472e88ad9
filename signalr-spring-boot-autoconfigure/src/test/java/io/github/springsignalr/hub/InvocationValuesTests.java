package io.github.springsignalr.hub;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.Progress;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method taking a {@link Progress} or a {@link CallerState} is called by ASP.NET Core clients as any
 * other: neither counts among the arguments, reports are dropped, the state is empty.
 */
class InvocationValuesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final String RS = "\u001e";

	private final HubConnectionHandler handler = new HubConnectionHandler("WorkHub", new WorkHub(),
			HubDescriptor.of(WorkHub.class), List.of(), HubOptions.defaults(), new DefaultHubLifetimeManager(),
			(connection) -> null, Schedulers.immediate());

	@Test
	void progressAndCallerStateAreNotArgumentsAndAreEmptyForTheJsonProtocol() {
		RecordingConnection connection = new RecordingConnection("modern-1");
		HubConnectionContext context = this.handler.open(connection, new JsonHubProtocol(JsonMapper.builder().build()));
		this.handler.dispatcher()
			.invoke(context, new HubMessage.Invocation("1", "Work", List.of(3)))
			.block(TIMEOUT);
		assertThat(connection.awaitTexts(1, TIMEOUT))
			.containsExactly("{\"type\":3,\"invocationId\":\"1\",\"result\":\"3 steps, state {}\"}" + RS);
	}

	/** A hub whose method reports progress and reads caller state. */
	static class WorkHub {

		public String work(int steps, Progress<Integer> progress, CallerState state) {
			for (int i = 1; i <= steps; i++) {
				progress.report(i);
			}
			return steps + " steps, state " + state.asMap();
		}
	}
}
