package io.github.springsignalr.interop.legacy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Java client 9.0.3 on the interop server's {@code ChatHub} (JSON protocol, WebSockets),
 * a member of the group {@value #GROUP}, that answers what it receives for
 * {@code js/legacy/cross-protocol.test.mjs}: {@code addMessage(GROUP, "ask java:<text>")} (a group send)
 * with {@code SendToGroup(GROUP, "java heard <text>")}, any other {@code addMessage(name, "ask java:<text>")}
 * with {@code Send("java", "heard <text>")}. It records everything it receives as {@code "name:message"}.
 */
final class AnsweringJavaClient implements AutoCloseable {

	static final String GROUP = "mixed";

	private static final String QUESTION = "ask java:";

	private static final long TIMEOUT_MILLIS = 10_000;

	private final HubConnection connection;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final List<Throwable> failedAnswers = new CopyOnWriteArrayList<>();

	private AnsweringJavaClient(String serverUrl) {
		this.connection = HubConnectionBuilder.create(serverUrl + "/legacy-chat").build();
		this.connection.on(ChatHub.ADD_MESSAGE, this::receive, String.class, String.class);
	}

	/** A started client of the server at {@code serverUrl}, already in the group. */
	static AnsweringJavaClient connect(String serverUrl) {
		AnsweringJavaClient client = new AnsweringJavaClient(serverUrl);
		assertThat(client.connection.start().blockingAwait(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(client.connection.invoke("JoinGroup", GROUP).blockingAwait(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
			.isTrue();
		return client;
	}

	private void receive(String name, String message) {
		this.received.add(name + ":" + message);
		if (!message.startsWith(QUESTION)) {
			return;
		}
		String text = message.substring(QUESTION.length());
		(GROUP.equals(name) ? this.connection.invoke("SendToGroup", GROUP, "java heard " + text)
				: this.connection.invoke("Send", "java", "heard " + text))
			.subscribe(() -> {
			}, this.failedAnswers::add);
	}

	String connectionId() {
		return this.connection.getConnectionId();
	}

	/** What it received, as {@code "name:message"}, in arrival order. */
	List<String> received() {
		return List.copyOf(this.received);
	}

	/** Answers that could not be sent (none expected). */
	List<Throwable> failedAnswers() {
		return List.copyOf(this.failedAnswers);
	}

	@Override
	public void close() {
		if (this.connection.getConnectionState() != HubConnectionState.DISCONNECTED) {
			this.connection.stop().blockingAwait(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		}
	}
}
