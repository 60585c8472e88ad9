package io.github.springsignalr.interop.legacy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.python.PythonTests;

/**
 * The Python clients of classic ASP.NET SignalR 2 (versions pinned in
 * {@code interop/python-legacy/requirements.txt}, in their own virtual environment) against the legacy
 * endpoint: {@code signalr-client-threads} over webSockets and serverSentEvents (§13 items 19 to 21) and
 * {@code signalr-async} over webSockets (item 22). Each test runs one pytest file of
 * {@code interop/python-legacy}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LegacyPythonClientTests {

	private static final String FOLDER = "python-legacy";

	@LocalServerPort
	private int port;

	@Test
	void signalrClientThreadsCallsReceivesErrorsAndClosesOverWebSocketsAndServerSentEvents() {
		PythonTests.runIn(FOLDER, "test_signalr_client_threads.py", this.port, Map.of());
	}

	@Test
	void signalrClientThreadsPersistentConnectionEchoesOverWebSocketsAndServerSentEvents() {
		PythonTests.runIn(FOLDER, "test_signalr_client_threads_persistent.py", this.port, Map.of());
	}

	@Test
	void signalrAsyncInvokesReceivesBroadcastsAndKeepsItsSocketPastItsPings() {
		PythonTests.runIn(FOLDER, "test_signalr_async.py", this.port, Map.of());
	}
}
