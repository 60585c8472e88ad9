package io.github.springsignalr.samples.racestatus;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a random loopback port for the two-node test (the library's tests have
 * the same helper; its test classes are not published). Skips the calling test when the binary is not
 * installed.
 */
final class RedisProcess implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private final Process process;

	private final int port;

	private RedisProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts a server, or skips the calling test when {@code redis-server} is not installed. */
	static RedisProcess start() throws IOException {
		Path binary = null;
		for (String directory : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
			if (Files.isExecutable(Path.of(directory, "redis-server"))) {
				binary = Path.of(directory, "redis-server");
				break;
			}
		}
		assumeTrue(binary != null, "redis-server is not installed, so the two-node test is skipped: "
				+ "install Debian's redis-server package (apt-get install redis-server)");
		Path directory = Files.createTempDirectory("race-redis");
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		RedisProcess redis = new RedisProcess(process, port);
		redis.awaitPong();
		return redis;
	}

	private void awaitPong() throws IOException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("redis-server exited with " + this.process.exitValue());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				socket.setSoTimeout(1000);
				OutputStream out = socket.getOutputStream();
				out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				byte[] reply = new byte[5];
				int read = in.read(reply);
				if (read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
		}
		close();
		throw new IOException("redis-server did not answer PING within " + STARTUP);
	}

	/** The server's URL, e.g. {@code redis://127.0.0.1:6379}. */
	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
