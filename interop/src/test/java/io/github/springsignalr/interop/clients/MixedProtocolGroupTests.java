package io.github.springsignalr.interop.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.google.gson.annotations.SerializedName;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.HubContext;
import io.github.springsignalr.interop.CustomObject;
import io.github.springsignalr.interop.InteropApplication;
import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.interop.python.PythonTests;

/**
 * One group holding clients of four languages on different transports and both protocols: the official
 * JavaScript client (MessagePack over WebSockets, JSON over Server-Sent Events, MessagePack over long polling),
 * signalrcore (JSON and MessagePack over WebSockets), pysignalr (JSON and MessagePack over WebSockets) and the
 * official Java client (JSON over long polling). The Node and Python clients run in their own processes: each
 * joins the group through {@link ClientsHub#joinAs} and waits for one broadcast. This test waits until all of
 * them have joined, sends the broadcast from a {@link HubContext} and then expects every process to report
 * that its clients received exactly the same arguments.
 * <p>
 * The keep-alive interval is short for signalrcore's {@code stop()}, which returns only once the server
 * sends its next frame (see {@code PythonClientTests}).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "signalr.hub.keep-alive-interval=2s")
class MixedProtocolGroupTests {

	/** Environment variable that names the group for the Node and Python processes. */
	private static final String GROUP_VARIABLE = "SIGNALR_MIXED_GROUP";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** Bounds waiting for the other processes: they start their runtimes and clients first. */
	private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);

	private static final List<String> MEMBERS = List.of("js/messagepack/WebSockets", "js/json/ServerSentEvents",
			"js/messagepack/LongPolling", "signalrcore/json/WebSockets", "signalrcore/messagepack/WebSockets",
			"pysignalr/json/WebSockets", "pysignalr/messagepack/WebSockets", "java/json/LongPolling");

	@LocalServerPort
	private int port;

	@Autowired
	private ClientsHubJoins joins;

	@Autowired
	private HubContext<ClientsHub> hub;

	@Test
	void clientsOfEveryLanguageTransportAndProtocolInOneGroupReceiveTheSameBroadcast() throws Exception {
		String group = "mixed-" + UUID.randomUUID();
		Map<String, String> environment = Map.of(GROUP_VARIABLE, group);
		// install the Python environment first, so that the processes below only start clients
		PythonTests.prepare();
		CompletableFuture<Void> python = CompletableFuture
			.runAsync(() -> PythonTests.run("mixed_group_member.py", this.port, environment));
		CompletableFuture<Void> node = CompletableFuture.runAsync(() -> NodeTests
			.runFile("matrix/mixed-group.test.mjs", this.port, PROCESS_TIMEOUT, environment));
		HubConnection java = HubConnectionBuilder.create("http://localhost:" + this.port + "/clients-hub")
			.withTransport(TransportEnum.LONG_POLLING)
			.build();
		CompletableFuture<Broadcast> javaReceived = new CompletableFuture<>();
		java.on("Broadcast", (text, number, object) -> javaReceived.complete(new Broadcast(text, number, object)),
				String.class, Integer.class, Item.class);
		try {
			assertThat(java.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			java.invoke("JoinAs", group, "java/json/LongPolling").blockingAwait(TIMEOUT.toMillis(),
					TimeUnit.MILLISECONDS);

			await().atMost(PROCESS_TIMEOUT)
				.until(() -> this.joins.labels(group).size() >= MEMBERS.size() || python.isDone() || node.isDone());
			if (python.isDone() || node.isDone()) {
				// a process that ended before the broadcast failed: report why
				join(python, "pytest mixed_group_member.py");
				join(node, "node matrix/mixed-group.test.mjs");
				fail("a client process ended before the broadcast; joined: " + this.joins.labels(group));
			}
			assertThat(this.joins.labels(group)).containsExactlyInAnyOrderElementsOf(MEMBERS);

			this.hub.clients()
				.group(group)
				.send("Broadcast", "to every protocol", 42, new CustomObject("mixed", 7))
				.block(TIMEOUT);

			assertThat(javaReceived.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
				.isEqualTo(new Broadcast("to every protocol", 42, new Item("mixed", 7)));
			join(python, "pytest mixed_group_member.py");
			join(node, "node matrix/mixed-group.test.mjs");
		}
		finally {
			java.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/** Waits for a client process; its own failure (with the process output) becomes this test's failure. */
	private static void join(CompletableFuture<Void> process, String name) throws Exception {
		try {
			process.get(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
		catch (TimeoutException ex) {
			fail(name + " did not finish within " + PROCESS_TIMEOUT);
		}
	}

	/** The broadcast's arguments as the Java client binds them. */
	record Broadcast(String text, int number, Item object) {
	}

	/** The broadcast's {@link CustomObject}, with the .NET property names it travels with. */
	record Item(@SerializedName("Name") String name, @SerializedName("Value") int value) {
	}
}
