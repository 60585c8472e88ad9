package io.github.springsignalr.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real {@code redis-server} (Debian's package) on a random loopback port, started by a test class and
 * stopped after it. Without the binary the calling tests are skipped with a message saying what to
 * install; {@code scripts/test.sh} installs it when run as root.
 */
public final class RedisServer implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private volatile @Nullable Process process;

	private final int port;

	private final Path directory;

	private final List<String> command;

	private RedisServer(@Nullable Process process, int port, Path directory, List<String> command) {
		this.process = process;
		this.port = port;
		this.directory = directory;
		this.command = command;
	}

	/** Where {@code redis-server} is installed, or {@code null}. */
	static @Nullable Path binary() {
		String path = System.getenv("PATH");
		List<String> directories = new java.util.ArrayList<>(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
		if (path != null) {
			directories.addAll(0, List.of(path.split(java.io.File.pathSeparator)));
		}
		for (String directory : directories) {
			Path candidate = Path.of(directory, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Starts a server, or skips the calling test when {@code redis-server} is not installed.
	 */
	public static RedisServer start() {
		return start(new String[0]);
	}

	/**
	 * Starts a server with extra command-line options, or skips the calling test when
	 * {@code redis-server} is not installed.
	 */
	static RedisServer start(String... options) {
		Path binary = requireBinary();
		try {
			Path directory = Files.createTempDirectory("signalr-redis");
			int port = freePort();
			List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--port",
					Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
					"--protected-mode", "no", "--dir", directory.toString(), "--logfile",
					directory.resolve("redis.log").toString()));
			command.addAll(List.of(options));
			RedisServer server = new RedisServer(launch(command, directory), port, directory, List.copyOf(command));
			server.awaitPong();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start redis-server", ex);
		}
	}

	/**
	 * A server on a free port that is not running yet: {@link #restart()} starts it. Skips the calling
	 * test when {@code redis-server} is not installed.
	 */
	static RedisServer notStarted() {
		Path binary = requireBinary();
		try {
			Path directory = Files.createTempDirectory("signalr-redis");
			int port = freePort();
			List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir",
					directory.toString(), "--logfile", directory.resolve("redis.log").toString());
			return new RedisServer(null, port, directory, command);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not prepare redis-server", ex);
		}
	}

	/**
	 * The installed {@code redis-server}. Missing, it skips the calling test for a user who cannot install
	 * it, and fails it for root, whose {@code scripts/test.sh} installs it.
	 */
	static Path requireBinary() {
		Path binary = binary();
		if (binary == null) {
			assumeTrue(!"root".equals(System.getProperty("user.name")), "redis-server is not installed, so the "
					+ "Redis tests are skipped: install Debian's redis-server package (apt-get install redis-server)");
			throw new IllegalStateException("redis-server is not installed; scripts/test.sh installs it when run "
					+ "as root (apt-get install redis-server)");
		}
		return binary;
	}

	private static Process launch(List<String> command, Path directory) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("stdout.log").toFile()))
			.start();
	}

	/** Kills the server at once ({@code SIGKILL}): clients see their connections drop, as in a crash. */
	public void kill() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		try {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops the server's process ({@code SIGSTOP}) until {@link #resume()}: its connections stay open and
	 * commands are not answered, as with a Redis that hangs.
	 */
	public void pause() {
		signal("-STOP");
	}

	/** Lets the process stopped by {@link #pause()} go on ({@code SIGCONT}). */
	public void resume() {
		signal("-CONT");
	}

	private void signal(String signal) {
		try {
			Process process = this.process;
			assertTrue(process != null, "redis-server is running");
			Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
			assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not signal redis-server", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Starts the server again on the same port (empty: nothing is saved) after {@link #kill()}. */
	public void restart() {
		try {
			this.process = launch(this.command, this.directory);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart redis-server", ex);
		}
		awaitPong();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void awaitPong() {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			Process process = this.process;
			if (process == null || !process.isAlive()) {
				throw new IllegalStateException("redis-server exited with "
						+ ((process != null) ? process.exitValue() : "no process") + "; see "
						+ this.directory);
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				socket.setSoTimeout(1000);
				OutputStream out = socket.getOutputStream();
				out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				byte[] reply = new byte[7];
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
				throw new IllegalStateException(ex);
			}
		}
		close();
		throw new IllegalStateException("redis-server did not answer PING within " + STARTUP);
	}

	public int port() {
		return this.port;
	}

	/** The server's URL, e.g. {@code redis://127.0.0.1:6379}. */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
