package io.github.springsignalr.bench.loadgen;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import reactor.netty.http.client.HttpClient;

import io.github.springsignalr.bench.loadgen.dialect.Dialects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's SignalR codecs (JSON and MessagePack, and the classic ASP.NET SignalR 2 dialect on the
 * legacy endpoint) against the official Java client, both connected to the benchmark's SignalR server: what
 * one sends, the other receives with the same timestamp and payload.
 * An integration test (failsafe): it runs after the server is packaged.
 */
class DialectAgreementIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@ParameterizedTest
	@ValueSource(strings = { "signalr-json", "signalr-msgpack", "signalr-legacy" })
	@Timeout(180)
	void theLoadGeneratorAndTheOfficialClientAgree(String dialectName) throws Exception {
		Path bench = Path.of("..").toAbsolutePath().normalize();
		ServerTable.Row row = ServerTable.load(bench).stream()
			.filter((candidate) -> candidate.name().equals(dialectName))
			.findFirst()
			.orElseThrow();
		List<String> command = ServerProcess.command(row.launch(), Map.of("JAVA",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "JVM_FLAGS",
				"-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", "BENCH", bench.toString(), "PORT",
				Integer.toString(freePort())));
		try (ServerProcess server = ServerProcess.start(command, null,
				Path.of("target/agreement/" + dialectName + ".log").toAbsolutePath(), Duration.ofSeconds(120))) {
			BlockingQueue<Object[]> official = new LinkedBlockingQueue<>();
			// the classic dialect's row names the legacy endpoint; the official client uses the hub's own path
			String officialPath = row.dialect().equals("signalr-legacy") ? "/bench" : row.path();
			HubConnection client = HubConnectionBuilder.create("http://127.0.0.1:" + server.port + officialPath).build();
			client.on("m", (t, p) -> official.add(new Object[] { t, p }), Long.class, String.class);
			client.start().blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);

			BlockingQueue<Long> generated = new LinkedBlockingQueue<>();
			Dialect dialect = Dialects.create(row.dialect(), row.path());
			Dialect.Session session = dialect
				.open(HttpClient.create().host("127.0.0.1").port(server.port), generated::add)
				.block(WAIT);
			assertThat(session).isNotNull();
			try {
				// the load generator's broadcast reaches the official client as m(t, p), and itself
				session.broadcast(123_456_789_012L, "payload \u00e9\u4e2d \"quoted\"");
				assertThat(official.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
					.containsExactly(123_456_789_012L, "payload \u00e9\u4e2d \"quoted\"");
				assertThat(generated.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(123_456_789_012L);

				// the official client's broadcast reaches the load generator with its timestamp
				client.send("Broadcast", 987_654_321L, "from the official client");
				assertThat(generated.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(987_654_321L);
				assertThat(official.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
					.containsExactly(987_654_321L, "from the official client");

				// an echo goes back to the load generator only
				session.echo(42L, "echo");
				assertThat(generated.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42L);

				// group sends: both join, the official client sends, both receive
				session.join("g1").block(WAIT);
				client.invoke("JoinGroup", "g1").blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
				client.send("SendToGroup", "g1", 7L, "to the group");
				assertThat(generated.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(7L);
				assertThat(official.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly(7L, "to the group");
				session.sendToGroup("g1", 8L, "from the generator");
				assertThat(official.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
					.containsExactly(8L, "from the generator");
				assertThat(generated.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(8L);
				// nothing else arrived: the echo was not seen by the official client
				assertThat(official.poll(300, TimeUnit.MILLISECONDS)).isNull();
			}
			finally {
				session.close().block(WAIT);
				client.stop().blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
		}
	}

	private static int freePort() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
