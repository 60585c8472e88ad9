package io.github.springsignalr.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection of a wire protocol without the ASP.NET Core handshake reaches the same hub through the
 * handler's {@code open}/{@code start} and the dispatcher: its invocations run the hub's methods, it is
 * in the hub's lifetime manager (messages to everyone reach it) and the hub's OnConnected runs for it.
 */
class OtherWireProtocolTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final String RS = "\u001e";

	private final DefaultHubLifetimeManager lifetime = new DefaultHubLifetimeManager();

	private final CalculatorHub hub = new CalculatorHub();

	private final HubConnectionHandler handler = new HubConnectionHandler("CalculatorHub", this.hub,
			HubDescriptor.of(CalculatorHub.class), List.of(), HubOptions.defaults(), this.lifetime,
			(connection) -> null, Schedulers.immediate());

	@Test
	void invocationsOfAnOpenedConnectionRunTheHubsMethodsAndItIsReachedByMessagesToAll() {
		RecordingConnection connection = new RecordingConnection("classic-1");
		HubConnectionContext context = this.handler.open(connection,
				new JsonHubProtocol(JsonMapper.builder().build()));
		this.handler.start(context).block(TIMEOUT);
		assertThat(this.hub.connected).containsExactly("classic-1");

		this.handler.dispatcher()
			.invoke(context, new HubMessage.Invocation("7", "Add", List.of(2, 3)))
			.block(TIMEOUT);
		this.lifetime.sendAll("News", new Object[] { "hello" }).block(TIMEOUT);

		// no handshake response: the first thing written is the Completion
		assertThat(connection.awaitTexts(2, TIMEOUT)).containsExactly(
				"{\"type\":3,\"invocationId\":\"7\",\"result\":5}" + RS,
				"{\"type\":1,\"target\":\"News\",\"arguments\":[\"hello\"]}" + RS);
	}

	/** A hub with one method and an OnConnected. */
	static class CalculatorHub {

		final List<String> connected = new ArrayList<>();

		public int add(int x, int y) {
			return x + y;
		}

		@OnConnected
		public void onConnected(HubCallerContext caller) {
			this.connected.add(caller.connectionId());
		}
	}
}
