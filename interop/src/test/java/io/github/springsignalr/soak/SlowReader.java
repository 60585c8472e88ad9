package io.github.springsignalr.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client on a raw socket that joins a group and then never reads again, over WebSockets or Server-Sent
 * Events. Its receive buffer is small, so what the server sends it piles up on the server's side. A
 * pinging one keeps sending pings (over its socket, or by POST for Server-Sent Events), so only the
 * server's bound on unsent data can end it; a silent one sends nothing, so its client timeout can too.
 */
final class SlowReader implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern TOKEN = Pattern.compile("\"connectionToken\":\"([^\"]+)\"");

	private static final Pattern ID = Pattern.compile("\"connectionId\":\"([^\"]+)\"");

	private static final String RECORD_SEPARATOR = "\u001e";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final String description;

	private final String connectionId;

	private final Socket socket;

	private final Thread pinger;

	private SlowReader(String description, String connectionId, Socket socket, Thread pinger) {
		this.description = description;
		this.connectionId = connectionId;
		this.socket = socket;
		this.pinger = pinger;
	}

	/** A slow reader over WebSockets to the node at {@code baseUrl}, a member of {@code group}. */
	static SlowReader webSockets(String baseUrl, String group, boolean pinging)
			throws IOException, InterruptedException {
		String[] negotiated = negotiate(baseUrl);
		Socket socket = open(baseUrl);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /soak?id=" + negotiated[0] + " HTTP/1.1\r\nHost: " + hostAndPort(baseUrl) + "\r\n"
				+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		readUntil(socket, "\r\n\r\n");
		writeFrame(out, "{\"protocol\":\"json\",\"version\":1}" + RECORD_SEPARATOR);
		writeFrame(out, invocation(group));
		readUntil(socket, "\"invocationId\":\"1\"");
		Thread pinger = daemon("slow-reader-ping-" + negotiated[1], () -> {
			try {
				while (!Thread.currentThread().isInterrupted()) {
					Thread.sleep(5000);
					writeFrame(out, "{\"type\":6}" + RECORD_SEPARATOR);
				}
			}
			catch (IOException | InterruptedException ex) {
				// the server closed the socket, or the test is over
			}
		});
		if (pinging) {
			pinger.start();
		}
		return new SlowReader((pinging ? "pinging" : "silent") + " WebSockets reader " + negotiated[1], negotiated[1],
				socket, pinger);
	}

	/** A slow reader over Server-Sent Events to the node at {@code baseUrl}, a member of {@code group}. */
	static SlowReader serverSentEvents(String baseUrl, String group, boolean pinging)
			throws IOException, InterruptedException {
		String[] negotiated = negotiate(baseUrl);
		Socket socket = open(baseUrl);
		socket.getOutputStream().write(("GET /soak?id=" + negotiated[0] + " HTTP/1.1\r\nHost: " + hostAndPort(baseUrl)
				+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		readUntil(socket, "\r\n\r\n");
		URI sendUri = URI.create(baseUrl + "/soak?id=" + negotiated[0]);
		post(sendUri, "{\"protocol\":\"json\",\"version\":1}" + RECORD_SEPARATOR);
		post(sendUri, invocation(group));
		readUntil(socket, "\"invocationId\":\"1\"");
		Thread pinger = daemon("slow-reader-ping-" + negotiated[1], () -> {
			try {
				while (!Thread.currentThread().isInterrupted()) {
					Thread.sleep(5000);
					if (post(sendUri, "{\"type\":6}" + RECORD_SEPARATOR) != 200) {
						return;
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				// the server is gone, or the test is over
			}
		});
		if (pinging) {
			pinger.start();
		}
		return new SlowReader((pinging ? "pinging" : "silent") + " Server-Sent Events reader " + negotiated[1],
				negotiated[1], socket, pinger);
	}

	String connectionId() {
		return this.connectionId;
	}

	@Override
	public String toString() {
		return this.description;
	}

	@Override
	public void close() {
		this.pinger.interrupt();
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// already closed by the server
		}
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private static String invocation(String group) {
		return "{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinGroup\",\"arguments\":[\"" + group + "\"]}"
				+ RECORD_SEPARATOR;
	}

	/** The connection token and id of a new connection. */
	private static String[] negotiate(String baseUrl) throws IOException, InterruptedException {
		URI negotiate = URI.create(baseUrl + "/soak/negotiate?negotiateVersion=1");
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(negotiate)
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		Matcher token = TOKEN.matcher(response.body());
		Matcher id = ID.matcher(response.body());
		if (response.statusCode() != 200 || !token.find() || !id.find()) {
			throw new IOException("negotiate answered " + response.statusCode() + ": " + response.body());
		}
		return new String[] { token.group(1), id.group(1) };
	}

	private static int post(URI uri, String body) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static Socket open(String baseUrl) throws IOException {
		URI uri = URI.create(baseUrl);
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) TIMEOUT.toMillis());
		socket.setSoTimeout((int) TIMEOUT.toMillis());
		return socket;
	}

	private static String hostAndPort(String baseUrl) {
		URI uri = URI.create(baseUrl);
		return uri.getHost() + ":" + uri.getPort();
	}

	/** Reads until {@code marker} went by; whatever follows it stays unread. */
	private static void readUntil(Socket socket, String marker) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder seen = new StringBuilder();
		while (seen.indexOf(marker) < 0) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("the server closed the socket before sending " + marker + ": " + seen);
			}
			seen.append((char) next);
		}
	}

	/** Writes one masked, final text frame (a client's frames are masked). */
	private static void writeFrame(OutputStream out, String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		byte[] frame;
		int offset;
		if (payload.length < 126) {
			frame = new byte[2 + 4 + payload.length];
			frame[1] = (byte) (0x80 | payload.length);
			offset = 2;
		}
		else {
			frame = new byte[4 + 4 + payload.length];
			frame[1] = (byte) (0x80 | 126);
			frame[2] = (byte) (payload.length >> 8);
			frame[3] = (byte) payload.length;
			offset = 4;
		}
		frame[0] = (byte) 0x81;
		System.arraycopy(mask, 0, frame, offset, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[offset + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		synchronized (out) {
			out.write(frame);
			out.flush();
		}
	}

}
