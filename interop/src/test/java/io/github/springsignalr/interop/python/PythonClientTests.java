package io.github.springsignalr.interop.python;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/**
 * The Python clients {@code signalrcore} and {@code pysignalr} (versions pinned in
 * {@code interop/python/requirements.txt}) against the conformance server. Each test runs one pytest
 * file of {@code interop/python}.
 * <p>
 * The keep-alive interval is short because signalrcore's {@code stop()} closes its socket but only
 * returns once its receive thread, blocked in {@code recv()}, gets the server's next frame.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.keep-alive-interval=2s")
class PythonClientTests {

	@LocalServerPort
	private int port;

	@Test
	void signalrcoreInvokesStreamsBothWaysJoinsGroupsAndStopsOverWebSocketsServerSentEventsAndLongPolling() {
		PythonTests.run("test_signalrcore.py", this.port);
	}

	@Test
	void pysignalrInvokesStreamsBothWaysJoinsGroupsAnswersClientResultsAndStopsWithJsonAndMessagePack() {
		PythonTests.run("test_pysignalr.py", this.port);
	}
}
