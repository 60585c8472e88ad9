package io.github.springsignalr.redis;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * A load balancer without affinity for tests: each TCP connection it accepts goes to the next backend
 * in turn, and bytes are relayed as they are. With clients that open a connection per request, every
 * request lands on another node.
 */
final class RoundRobinProxy implements AutoCloseable {

	private final DisposableServer server;

	private RoundRobinProxy(DisposableServer server) {
		this.server = server;
	}

	static RoundRobinProxy start(List<Integer> backendPorts) {
		AtomicInteger next = new AtomicInteger();
		DisposableServer server = TcpServer.create().host("127.0.0.1").port(0).handle((in, out) -> {
			int port = backendPorts.get(Math.floorMod(next.getAndIncrement(), backendPorts.size()));
			return TcpClient.create(ConnectionProvider.newConnection())
				.host("127.0.0.1")
				.port(port)
				.connect()
				.flatMap((Connection backend) -> {
					Mono<Void> up = backend.outbound().send(in.receive().retain()).then();
					Mono<Void> down = out.send(backend.inbound().receive().retain()).then();
					return Mono.firstWithSignal(up, down).onErrorResume((ex) -> Mono.empty())
						.doFinally((signal) -> backend.dispose());
				});
		}).bindNow();
		return new RoundRobinProxy(server);
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
