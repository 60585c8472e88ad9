package io.github.springsignalr.legacy;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.hub.HubOptions;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pieces of the classic wire that need no connection: negotiate's payload and version, tokens,
 * {@code connectionData}, and reading invocations.
 */
class LegacyWireTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void protocolVersionIsTheClientsClampedToOnePointTwoAndTwoPointZero() {
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion("1.5"))).isEqualTo("1.5");
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion("2.1"))).isEqualTo("2.0");
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion("1.3"))).isEqualTo("1.3");
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion(null))).isEqualTo("1.2");
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion("1.0"))).isEqualTo("1.2");
		assertThat(LegacyNegotiation.format(LegacyNegotiation.protocolVersion("x.y"))).isEqualTo("1.2");
	}

	@Test
	void negotiatePayloadHasTheTenFieldsOfTheReferenceAndNoAvailableTransports() {
		String payload = LegacyNegotiation.payload(this.mapper, "/signalr", "tok", "id-1", LegacyOptions.defaults(), 20,
				true);
		assertThat(payload).isEqualTo("{\"Url\":\"/signalr\",\"ConnectionToken\":\"tok\",\"ConnectionId\":\"id-1\","
				+ "\"KeepAliveTimeout\":20.0,\"DisconnectTimeout\":30.0,\"ConnectionTimeout\":110.0,"
				+ "\"TryWebSockets\":true,\"ProtocolVersion\":\"2.0\",\"TransportConnectTimeout\":5.0,"
				+ "\"LongPollDelay\":0.0}");
	}

	@Test
	void tokenNamesItsConnectionForItsUserOnly() {
		ConnectionTokens tokens = ConnectionTokens.random();
		String token = tokens.create("abc", "Alice");
		assertThat(tokens.connectionId(token, "alice")).isEqualTo("abc");
		assertThatThrownBy(() -> tokens.connectionId(token, "bob"))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(403))
			.hasMessage("Unrecognized user identity.  The user identity cannot change during an active SignalR"
					+ " connection.");
		String tampered = token.substring(0, 2) + (token.charAt(2) == 'A' ? 'B' : 'A') + token.substring(3);
		assertThatThrownBy(() -> tokens.connectionId(tampered, "alice"))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(400))
			.hasMessage("The ConnectionId is in the incorrect format.");
		assertThatThrownBy(() -> ConnectionTokens.random().connectionId(token, "alice"))
			.hasMessage("The ConnectionId is in the incorrect format.");
		assertThatThrownBy(() -> tokens.connectionId("not a token", ""))
			.hasMessage("The ConnectionId is in the incorrect format.");
	}

	@Test
	void connectionDataNamesHubsIgnoringCaseAndRefusesUnknownAndDuplicateOnes() {
		LegacyHubs hubs = new LegacyHubs(List.of(hub("ChatHub"), hub("stockTicker")));
		assertThat(hubs.resolve(this.mapper, "[{\"name\":\"chathub\"},{\"Name\":\"STOCKTICKER\"}]"))
			.extracting(LegacyHub::name)
			.containsExactly("ChatHub", "stockTicker");
		assertThat(hubs.resolve(this.mapper, "[]")).isEmpty();
		assertThat(hubs.resolve(this.mapper, null)).isEmpty();
		assertThatThrownBy(() -> hubs.resolve(this.mapper, "[{\"name\":\"Nope\"}]"))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(400))
			.hasMessage("'Nope' Hub could not be resolved.");
		assertThatThrownBy(() -> hubs.resolve(this.mapper, "[{\"name\":\"chathub\"},{\"name\":\"ChatHub\"}]"))
			.hasMessage("Duplicate Hub names found.");
		assertThatThrownBy(() -> hubs.resolve(this.mapper, "[{\"name\""))
			.isInstanceOfSatisfying(LegacyRequestException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	@Test
	void invocationIdIsKeptAsAStringWhetherSentAsNumberOrString() {
		LegacyInvocation numeric = LegacyInvocation.parse(this.mapper,
				"{\"H\":\"chathub\",\"M\":\"Send\",\"A\":[\"a\",1],\"I\":0,\"S\":{\"x\":1}}");
		assertThat(numeric).isNotNull();
		assertThat(numeric.id()).isEqualTo("0");
		assertThat(numeric.hub()).isEqualTo("chathub");
		assertThat(numeric.arguments()).hasSize(2);
		assertThat(numeric.state()).isEqualTo("{\"x\":1}");
		LegacyInvocation text = LegacyInvocation.parse(this.mapper, "{\"H\":\"ChatHub\",\"M\":\"Echo\",\"I\":\"7\"}");
		assertThat(text).isNotNull();
		assertThat(text.id()).isEqualTo("7");
		assertThat(text.arguments()).isEmpty();
		assertThat(LegacyInvocation.parse(this.mapper, "{}")).isNull();
		assertThat(LegacyInvocation.parse(this.mapper, "not json")).isNull();
	}

	@Test
	void invocationArgumentsBindToTheMethodsParameterTypesAsSent() {
		LegacyInvocation invocation = LegacyInvocation.parse(this.mapper, "{\"H\":\"h\",\"M\":\"m\",\"A\":[\"a\\\"b\","
				+ "7,8589934592,true,1.5,{\"k\":[1]},null,\"12\"],\"I\":1,\"x\":{\"y\":[]}}");
		assertThat(invocation).isNotNull();
		LegacyHubProtocol protocol = new LegacyHubProtocol("h", this.mapper, false);
		List<@Nullable Object> arguments = invocation.arguments();
		assertThat(protocol.bind(arguments.get(0), String.class)).isEqualTo("a\"b");
		assertThat(protocol.bind(arguments.get(1), int.class)).isEqualTo(7);
		assertThat(protocol.bind(arguments.get(1), double.class)).isEqualTo(7.0);
		assertThat(protocol.bind(arguments.get(2), long.class)).isEqualTo(8589934592L);
		assertThat(protocol.bind(arguments.get(3), boolean.class)).isEqualTo(true);
		assertThat(protocol.bind(arguments.get(4), double.class)).isEqualTo(1.5);
		assertThat(protocol.bind(arguments.get(5), Map.class)).isEqualTo(Map.of("k", List.of(1)));
		assertThat(protocol.bind(arguments.get(6), Integer.class)).isNull();
		assertThat(protocol.bind(arguments.get(7), int.class)).as("a string the mapper coerces").isEqualTo(12);
		assertThat(LegacyInvocation.parse(this.mapper, "{\"H\":\"h\",\"M\":\"m\",\"A\":7,\"I\":1}"))
			.as("arguments that are not an array").isNull();
		assertThat(LegacyInvocation.parse(this.mapper, "{\"H\":\"h\",\"M\":\"m\",\"I\":1} junk")).isNull();
		assertThat(LegacyInvocation.parse(this.mapper, "{\"H\":\"h\",\"M\":1,\"I\":1}")).isNull();
	}

	private static LegacyHub hub(String name) {
		HubConnectionHandler handler = new HubConnectionHandler(name, new Object(), HubDescriptor.of(Object.class),
				List.of(), HubOptions.defaults(), new DefaultHubLifetimeManager(), (connection) -> null,
				Schedulers.immediate());
		return new LegacyHub(name, handler, new LegacyHubProtocol(name, JsonMapper.builder().build(), false));
	}
}
