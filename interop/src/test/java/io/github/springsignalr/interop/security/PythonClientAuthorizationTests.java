package io.github.springsignalr.interop.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.python.PythonTests;

/**
 * The Python clients {@code signalrcore} (token factory, all its transports) and {@code pysignalr} on
 * {@code /authorizedhub}, with and without a token: {@code interop/python/test_security.py}. The
 * keep-alive is short for signalrcore's {@code stop()}, as in {@code PythonClientTests}.
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.keep-alive-interval=2s")
class PythonClientAuthorizationTests {

	@LocalServerPort
	private int port;

	@Test
	void pythonClientsReachAuthorizedHubWithTokenAndAreRefusedWithoutOne() {
		PythonTests.run("test_security.py", this.port);
	}
}
