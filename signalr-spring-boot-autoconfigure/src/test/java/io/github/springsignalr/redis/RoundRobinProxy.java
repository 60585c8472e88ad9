package io.github.springsignalr.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A load balancer without affinity for tests: each TCP connection it accepts goes to the next backend
 * in turn, and bytes are relayed as they are. With clients that open a connection per request, every
 * request lands on another node.
 *
 * <p>A backend that refuses connections (a node that was stopped) is skipped, as a load balancer's
 * health check would. Plain blocking sockets, two threads per connection: a write returns once the bytes are handed to
 * the kernel, and the end of one side's stream is passed on as a half close after everything before it,
 * so the proxy never loses the last bytes of a response (such as a WebSocket close frame) by closing
 * early.
 */
public final class RoundRobinProxy implements AutoCloseable {

	private final ServerSocket server;

	private final List<Integer> backendPorts;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger[] accepted;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private RoundRobinProxy(ServerSocket server, List<Integer> backendPorts) {
		this.server = server;
		this.backendPorts = List.copyOf(backendPorts);
		this.accepted = new AtomicInteger[backendPorts.size()];
		for (int i = 0; i < this.accepted.length; i++) {
			this.accepted[i] = new AtomicInteger();
		}
	}

	/** Listens on a random loopback port and sends each new connection to the next of the backends. */
	public static RoundRobinProxy start(List<Integer> backendPorts) {
		try {
			ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
			RoundRobinProxy proxy = new RoundRobinProxy(server, backendPorts);
			Thread acceptor = new Thread(proxy::accept, "round-robin-proxy-" + server.getLocalPort());
			acceptor.setDaemon(true);
			acceptor.start();
			return proxy;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the proxy", ex);
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			Socket backend = connectToNext();
			if (backend == null) {
				closeQuietly(client);
				continue;
			}
			this.sockets.add(client);
			this.sockets.add(backend);
			AtomicInteger open = new AtomicInteger(2);
			Runnable done = () -> {
				if (open.decrementAndGet() == 0) {
					closeQuietly(client);
					closeQuietly(backend);
					this.sockets.remove(client);
					this.sockets.remove(backend);
				}
			};
			pipe(client, backend, done, "up");
			pipe(backend, client, done, "down");
		}
	}

	/**
	 * A connection to the next backend in turn; like a load balancer's health check, a backend that
	 * refuses connections (a stopped node) is skipped for the one after it.
	 */
	private @Nullable Socket connectToNext() {
		for (int attempt = 0; attempt < this.backendPorts.size(); attempt++) {
			int index = Math.floorMod(this.next.getAndIncrement(), this.backendPorts.size());
			Socket backend = new Socket();
			try {
				backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.backendPorts.get(index)),
						5000);
				this.accepted[index].incrementAndGet();
				return backend;
			}
			catch (IOException ex) {
				closeQuietly(backend);
			}
		}
		return null;
	}

	/** Copies {@code from} to {@code to} until the end of {@code from}'s stream, then half-closes {@code to}. */
	private static void pipe(Socket from, Socket to, Runnable done, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
				to.shutdownOutput();
			}
			catch (IOException ex) {
				// one side is gone (reset or closed): close both
				closeQuietly(from);
				closeQuietly(to);
			}
			finally {
				done.run();
			}
		}, "round-robin-proxy-" + direction);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** How many connections went to each backend, in the order of the ports given. */
	public List<Integer> acceptedPerBackend() {
		return java.util.Arrays.stream(this.accepted).map(AtomicInteger::get).toList();
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
