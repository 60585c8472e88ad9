package io.github.springsignalr.connection;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import reactor.core.publisher.Mono;

/** Endpoints and requests for tests of the connection layer. */
final class ConnectionTestSupport {

	private ConnectionTestSupport() {
	}

	static ConnectionRoute endpoint(Duration disconnectTimeout, long outboundBufferSize, ConnectionHandler handler) {
		ConnectionOptions options = new ConnectionOptions(EnumSet.of(TransportType.WEB_SOCKETS), disconnectTimeout,
				outboundBufferSize, 64 * 1024);
		return new ConnectionRoute("/test", "test", handler, options);
	}

	static ConnectionRequest request() {
		return new ConnectionRequest(URI.create("http://localhost/test"), new HttpHeaders(),
				new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null);
	}

	/** A handler that records the disconnects it is told about. */
	static final class RecordingHandler implements ConnectionHandler {

		final List<Connection> disconnected = new CopyOnWriteArrayList<>();

		final List<@Nullable Throwable> errors = new CopyOnWriteArrayList<>();

		@Override
		public Mono<Void> onReceived(Connection connection, byte[] data) {
			return Mono.empty();
		}

		@Override
		public Mono<Void> onDisconnected(Connection connection, @Nullable Throwable error) {
			this.disconnected.add(connection);
			this.errors.add(error);
			return Mono.empty();
		}

	}

}
