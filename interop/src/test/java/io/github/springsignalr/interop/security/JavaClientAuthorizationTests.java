package io.github.springsignalr.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HttpHubConnectionBuilder;
import com.microsoft.signalr.HttpRequestException;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.TransportEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.github.springsignalr.interop.InteropApplication;
import io.reactivex.rxjava3.core.Single;

/**
 * The official Java client (com.microsoft.signalr 9.0.3) on {@code /authorizedhub}: with a bearer
 * token from {@code /generateJwtToken} it calls {@code Echo} over both of its transports; without one,
 * {@code start()} fails with the negotiate's 401. The client's text of it ends with the reason phrase the
 * container sent: none on Tomcat.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JavaClientAuthorizationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@ParameterizedTest
	@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
	void echoesWithTokenFromAccessTokenProvider(TransportEnum transport) {
		String token = new SecurityHttp(this.port).token("javauser");
		HubConnection connection = builder().withTransport(transport)
			.withAccessTokenProvider(Single.just(token))
			.build();
		try {
			assertThat(connection.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
			String echoed = connection.invoke(String.class, "Echo", "java with a token")
				.timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.blockingGet();
			assertThat(echoed).isEqualTo("java with a token");
		}
		finally {
			connection.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Test
	void startFailsWithUnauthorizedWithoutToken() {
		HubConnection connection = builder().build();
		Throwable failure = catchThrowable(
				() -> connection.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		assertThat(failure).isInstanceOf(HttpRequestException.class)
			.hasMessage("Unexpected status code returned from negotiate: 401 "
					+ (SecurityHttp.sendsReasonPhrases(this.context) ? "Unauthorized" : "") + ".");
		assertThat(((HttpRequestException) failure).getStatusCode()).isEqualTo(401);
		assertThat(connection.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);
	}

	private HttpHubConnectionBuilder builder() {
		return HubConnectionBuilder.create("http://localhost:" + this.port + "/authorizedhub");
	}
}
