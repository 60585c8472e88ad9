package io.github.springsignalr.interop;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;
import reactor.core.publisher.Mono;

/** A raw connection that sends back whatever it receives, as the reference's {@code /echo}. */
@ConnectionMapping("/echo")
public class EchoConnectionHandler implements ConnectionHandler {

	@Override
	public Mono<Void> onReceived(Connection connection, byte[] data) {
		connection.send(data);
		return Mono.empty();
	}
}
