package io.github.springsignalr.bench.peers.socketio;

import java.io.IOException;
import java.net.ServerSocket;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;

/**
 * Benchmark peer: a netty-socketio server (Socket.IO v4, Engine.IO 4) with the scenario events.
 * <ul>
 * <li>{@code echo} {@code {"t":..,"p":..}}: emits {@code m} with the same object to the caller;</li>
 * <li>{@code broadcast} {@code {"t":..,"p":..}}: emits {@code m} to every connection;</li>
 * <li>{@code join} {@code "g"} with an ack: joins room g, then acknowledges;</li>
 * <li>{@code group} {@code {"g":..,"t":..,"p":..}}: emits {@code m} {@code {"t":..,"p":..}} to room g.</li>
 * </ul>
 * Usage: {@code java -jar bench-peer-socketio.jar <port>}; prints {@code READY <port>} once listening.
 */
public final class SocketIoPeer {

	private SocketIoPeer() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: bench-peer-socketio <port>");
			System.exit(2);
		}
		int port = Integer.parseInt(args[0]);
		if (port == 0) {
			port = freePort();
		}
		Configuration config = new Configuration();
		config.setPort(port);
		config.setUseLinuxNativeEpoll(true);
		SocketConfig socket = new SocketConfig();
		socket.setReuseAddress(true);
		socket.setTcpNoDelay(true);
		socket.setAcceptBackLog(4096);
		config.setSocketConfig(socket);
		SocketIOServer server = new SocketIOServer(config);
		server.addEventListener("echo", Msg.class, (client, msg, ack) -> client.sendEvent("m", msg));
		server.addEventListener("broadcast", Msg.class,
				(client, msg, ack) -> server.getBroadcastOperations().sendEvent("m", msg));
		server.addEventListener("join", String.class, (client, group, ack) -> {
			client.joinRoom(group);
			ack.sendAckData();
		});
		server.addEventListener("group", GroupMsg.class,
				(client, msg, ack) -> server.getRoomOperations(msg.g()).sendEvent("m", new Msg(msg.t(), msg.p())));
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
		System.out.println("READY " + port);
		System.out.flush();
		Thread.currentThread().join();
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			return probe.getLocalPort();
		}
	}
}
