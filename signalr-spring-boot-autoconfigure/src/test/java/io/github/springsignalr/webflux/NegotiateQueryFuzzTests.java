package io.github.springsignalr.webflux;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.MultiValueMap;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.connection.ConnectionOptions;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.NegotiateResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the query of negotiate and transport requests ({@code negotiateVersion},
 * {@code useStatefulReconnect}, {@code id} and whatever else a client puts there): negotiate answers
 * 200 with a negotiate response or a negotiate error, a transport request with an unknown or missing
 * {@code id} answers 404 or 400, and the query parameters a connection keeps ({@link LazyQueryParams})
 * are the request's. The query is taken byte for byte as Reactor Netty takes the request line; one that
 * is not a valid URI never reaches the handler (the server answers 400). The inputs in
 * {@code NegotiateQueryFuzzTestsInputs/} are replayed by every build; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class NegotiateQueryFuzzTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ConnectionManager CONNECTIONS = new ConnectionManager(Duration.ofSeconds(1));

	private static final ConnectionRoute ENDPOINT = new ConnectionRoute("/hub", "hub",
			(connection, data) -> Mono.empty(), new ConnectionOptions(EnumSet.allOf(TransportType.class),
					Duration.ofSeconds(15), 1024 * 1024, 64 * 1024, true));

	private static final SignalRRequestHandler HANDLER = new SignalRRequestHandler(CONNECTIONS,
			new WebSocketTransport(64 * 1024), Duration.ofSeconds(5), 1024 * 1024);

	@AfterAll
	static void closeConnections() {
		CONNECTIONS.close();
	}

	@FuzzTest(maxDuration = "15s")
	void answersAnyQueryWithANegotiateResponseOrAnError(byte[] data) {
		String query = new String(data, StandardCharsets.ISO_8859_1);
		URI negotiateUri;
		URI transportUri;
		try {
			negotiateUri = new URI("http://localhost/hub/negotiate?" + query);
			transportUri = new URI("http://localhost/hub?" + query);
		}
		catch (URISyntaxException ex) {
			return;
		}
		MockServerWebExchange negotiate = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.POST, negotiateUri));
		HANDLER.negotiate(ENDPOINT).handle(negotiate).block(Duration.ofSeconds(5));
		assertThat(negotiate.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode body = JSON.readTree(negotiate.getResponse().getBodyAsString().block(Duration.ofSeconds(5)));
		String version = TransportRequests.queryParam(negotiate.getRequest(), "negotiateVersion");
		if (body.has("error")) {
			assertThat(version).isNotNull();
			assertThat(body.get("error").stringValue()).startsWith("The client requested ");
		}
		else {
			assertThat(body.get("negotiateVersion").intValue()).isBetween(0, 1);
			assertThat(body.get("connectionId").stringValue()).isNotEmpty();
			assertThat(body.get("availableTransports")).hasSize(3);
			// ended at once: the fuzzer learns live tokens from the lookups' string comparisons and would
			// connect with one, which is no finding
			JsonNode token = body.has("connectionToken") ? body.get("connectionToken") : body.get("connectionId");
			HttpConnection connection = CONNECTIONS.get(token.stringValue());
			assertThat(connection).isNotNull();
			connection.close();
			assertThat(CONNECTIONS.get(token.stringValue())).isNull();
		}

		MockServerWebExchange poll = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, transportUri));
		HANDLER.transport(ENDPOINT).handle(poll).block(Duration.ofSeconds(5));
		boolean hasId = poll.getRequest().getQueryParams().getFirst("id") != null;
		assertThat(poll.getResponse().getStatusCode())
			.isEqualTo(hasId ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST);

		MultiValueMap<String, String> kept = LazyQueryParams.of(transportUri);
		MultiValueMap<String, String> request = poll.getRequest().getQueryParams();
		assertThat(kept).isEqualTo(request);
		for (Map.Entry<String, List<String>> parameter : request.entrySet()) {
			assertThat(kept.containsKey(parameter.getKey())).isTrue();
			assertThat(kept.get(parameter.getKey())).isEqualTo(parameter.getValue());
			assertThat(kept.getFirst(parameter.getKey())).isEqualTo(parameter.getValue().get(0));
		}
		assertThat(kept.toSingleValueMap()).isEqualTo(request.toSingleValueMap());
	}
}
