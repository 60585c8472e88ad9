package io.github.springsignalr.interop.js;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;

/**
 * The official JavaScript client against the features hub: a hub method asking its own caller for a
 * result, typed client proxies, and a hub filter that changes arguments, short-circuits and observes.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JavaScriptFeaturesTests {

	@LocalServerPort
	private int port;

	@Test
	void clientResultsFromTheCallerTypedProxiesAndFilters() {
		NodeTests.runFile("matrix/features.test.mjs", this.port, java.time.Duration.ofMinutes(3));
	}
}
