package io.github.springsignalr.webflux;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Raw HTTP requests to a classic SignalR endpoint on a local port, for tests. */
final class LegacyHttp {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	/** The end of a line stream. */
	static final String END = "<end>";

	private final int port;

	LegacyHttp(int port) {
		this.port = port;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String form) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Negotiates at {@code base} (e.g. {@code /signalr}) with the given connectionData, if any. */
	JsonNode negotiate(String base, String clientProtocol, String connectionData) throws Exception {
		HttpResponse<String> response = get(base + "/negotiate?clientProtocol=" + clientProtocol
				+ ((connectionData != null) ? "&connectionData=" + q(connectionData) : ""));
		assertThat(response.statusCode()).isEqualTo(200);
		return MAPPER.readTree(response.body());
	}

	/** The query parameters every transport request carries. */
	static String common(String transport, JsonNode negotiate, String clientProtocol, String connectionData) {
		return "transport=" + transport + "&clientProtocol=" + clientProtocol + "&connectionToken="
				+ q(negotiate.get("ConnectionToken").asString())
				+ ((connectionData != null) ? "&connectionData=" + q(connectionData) : "");
	}

	/** A streaming GET: its response, the body read line by line. */
	HttpResponse<InputStream> stream(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
				HttpResponse.BodyHandlers.ofInputStream());
	}

	/** The non-empty lines of a body as they come, then {@link #END}. */
	static BlockingQueue<String> lines(InputStream body) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					if (!line.isEmpty()) {
						lines.add(line);
					}
				}
			}
			catch (Exception ex) {
				// the stream broke: it ended
			}
			lines.add(END);
		});
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	static String next(BlockingQueue<String> queue) throws InterruptedException {
		String value = queue.poll(10, TimeUnit.SECONDS);
		assertThat(value).as("a line within 10 s").isNotNull();
		return value;
	}

	/** The next line that is not {@code keepAlive}. */
	static String message(BlockingQueue<String> lines, String keepAlive) throws InterruptedException {
		String line = next(lines);
		while (line.equals(keepAlive)) {
			line = next(lines);
		}
		return line;
	}
}
