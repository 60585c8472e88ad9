package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubException;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.interop.InteropApplication;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.subjects.ReplaySubject;

/**
 * The official Java client's client-to-server streams ({@code StreamingConcat}), over WebSockets only:
 * its long polling sends every message in a POST of its own without waiting for the previous one
 * ({@code HubConnection.sendHubMessageWithLock} subscribes to {@code Transport.send} and moves on; OkHttp
 * runs up to five calls per host at once), so the items and the completion of an upload can reach any
 * server in any order — the reference's as well as ours.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class JavaClientUploadTests {

	@LocalServerPort
	private int port;

	private JavaClients clients;

	private HubConnection connection;

	@BeforeEach
	void connect() {
		this.clients = new JavaClients(this.port);
		this.connection = JavaClients.started(
				this.clients.build("/testhub", (builder) -> builder.withTransport(TransportEnum.WEBSOCKETS)));
	}

	@AfterEach
	void disconnect() {
		this.clients.close();
	}

	@Test
	void uploadsClientStreamToStreamingConcat() {
		Observable<String> items = Observable.just("Hello ", "world", "!");
		assertThat(await(this.connection.invoke(String.class, "StreamingConcat", items))).isEqualTo("Hello world!");
	}

	@Test
	void failsStreamingConcatWithTheErrorTheClientStreamEndedWith() {
		ReplaySubject<String> items = ReplaySubject.create();
		Single<String> result = this.connection.invoke(String.class, "StreamingConcat", items);
		items.onNext("partial");
		items.onError(new RuntimeException("Something bad"));
		// the Java client completes an upload with the error's toString(), not its message
		assertThatThrownBy(() -> await(result)).isInstanceOf(HubException.class)
				.hasMessage("An unexpected error occurred invoking 'StreamingConcat' on the server. "
						+ "HubException: java.lang.RuntimeException: Something bad");
	}
}
