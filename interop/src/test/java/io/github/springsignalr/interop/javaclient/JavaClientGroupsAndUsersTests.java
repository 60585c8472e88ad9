package io.github.springsignalr.interop.javaclient;

import static io.github.springsignalr.interop.javaclient.JavaClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.TransportEnum;

import io.github.springsignalr.interop.InteropApplication;

/**
 * Who receives what among three official Java clients of {@link JavaHub}: lifecycle callbacks, groups,
 * others, all, users, and sends from outside the hub through a {@code HubContext}. Absence is proven
 * with a sentinel sent to everyone afterwards: messages to one connection arrive in order. Runs over both
 * transports of the Java client (it has no Server-Sent Events).
 */
@SpringBootTest(classes = InteropApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(JavaUserIdConfiguration.class)
@ParameterizedClass(name = "over {0}")
@EnumSource(value = TransportEnum.class, names = { "WEBSOCKETS", "LONG_POLLING" })
class JavaClientGroupsAndUsersTests {

	@LocalServerPort
	private int port;

	@Parameter
	private TransportEnum transport;

	@Autowired
	private JavaHubEvents events;

	@Autowired
	private JavaHubNotifier notifier;

	private JavaClients clients;

	private Client alice;

	private Client bob;

	private Client carol;

	@BeforeEach
	void connectThreeClients() throws Exception {
		this.clients = new JavaClients(this.port);
		this.alice = connect("alice");
		this.bob = connect("bob");
		// a second connection of the same user
		this.carol = connect("alice");
	}

	private Client connect(String user) throws Exception {
		HubConnection connection = this.clients.build("/java-hub",
				(builder) -> builder.withTransport(this.transport)
					.withHeader(JavaUserIdConfiguration.USER_HEADER, user));
		Inbox inbox = Inbox.listen(connection, "Welcome", "Message");
		JavaClients.started(connection);
		assertThat(inbox.next()).isEqualTo("Welcome:" + connection.getConnectionId());
		return new Client(connection, inbox);
	}

	@AfterEach
	void disconnect() {
		this.clients.close();
	}

	/** Sends the sentinel to every client of the hub and returns what each received before it. */
	private List<List<String>> receivedBeforeSentinel() throws Exception {
		this.notifier.toAll(Inbox.SENTINEL, "end").block(JavaClients.TIMEOUT);
		return List.of(this.alice.inbox().untilSentinel("end"), this.bob.inbox().untilSentinel("end"),
				this.carol.inbox().untilSentinel("end"));
	}

	@Test
	void runsOnConnectedForEveryClient() {
		assertThat(this.events.connectedIds()).contains(this.alice.id(), this.bob.id(), this.carol.id());
	}

	@Test
	void runsOnDisconnectedWithoutCauseWhenClientStops() {
		int before = await(this.bob.connection().invoke(Integer.class, "GetDisconnectedCount"));
		String aliceId = this.alice.id();
		await(this.alice.connection().stop());

		await().atMost(JavaClients.TIMEOUT).until(() -> this.events.disconnectOf(aliceId).isPresent());
		assertThat(this.events.disconnectOf(aliceId)).hasValueSatisfying(
				(disconnect) -> assertThat(disconnect.cause()).isNull());
		assertThat(await(this.bob.connection().invoke(Integer.class, "GetDisconnectedCount")))
				.isGreaterThanOrEqualTo(before + 1);
		assertThat(this.events.disconnectOf(this.bob.id())).isEmpty();
	}

	@Test
	void sendsToGroupMembersOnly() throws Exception {
		await(this.alice.connection().invoke("JoinGroup", "blue"));
		await(this.bob.connection().invoke("JoinGroup", "blue"));

		await(this.carol.connection().invoke("SendToGroup", "blue", "hello blue"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of("Message:hello blue"),
				List.of("Message:hello blue"), List.of());
	}

	@Test
	void stopsSendingToClientThatLeftGroup() throws Exception {
		await(this.alice.connection().invoke("JoinGroup", "green"));
		await(this.bob.connection().invoke("JoinGroup", "green"));
		await(this.alice.connection().invoke("LeaveGroup", "green"));

		await(this.carol.connection().invoke("SendToGroup", "green", "hello green"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of(), List.of("Message:hello green"), List.of());
	}

	@Test
	void sendsToOthersInGroupButNotCaller() throws Exception {
		await(this.alice.connection().invoke("JoinGroup", "red"));
		await(this.bob.connection().invoke("JoinGroup", "red"));

		await(this.alice.connection().invoke("SendToOthersInGroup", "red", "hello others in red"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of(), List.of("Message:hello others in red"),
				List.of());
	}

	@Test
	void sendsToOthersButNotCaller() throws Exception {
		await(this.bob.connection().invoke("SendToOthers", "hello others"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of("Message:hello others"), List.of(),
				List.of("Message:hello others"));
	}

	@Test
	void sendsToAllIncludingCaller() throws Exception {
		await(this.bob.connection().invoke("SendToAll", "hello all"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of("Message:hello all"),
				List.of("Message:hello all"), List.of("Message:hello all"));
	}

	@Test
	void identifiesUsersWithTheUserIdProvider() {
		assertThat(await(this.alice.connection().invoke(String.class, "GetUserIdentifier"))).isEqualTo("alice");
		assertThat(await(this.bob.connection().invoke(String.class, "GetUserIdentifier"))).isEqualTo("bob");
		assertThat(await(this.carol.connection().invoke(String.class, "GetUserIdentifier"))).isEqualTo("alice");
	}

	@Test
	void sendsToEveryConnectionOfUser() throws Exception {
		await(this.bob.connection().invoke("SendToUser", "alice", "hello alice"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of("Message:hello alice"), List.of(),
				List.of("Message:hello alice"));
	}

	@Test
	void sendsToNobodyForUnknownUser() throws Exception {
		await(this.bob.connection().invoke("SendToUser", "nobody", "hello nobody"));

		assertThat(receivedBeforeSentinel()).containsExactly(List.of(), List.of(), List.of());
	}

	@Test
	void sendsFromOutsideTheHubThroughHubContext() throws Exception {
		this.notifier.addToGroup(this.bob.id(), "outside").block(JavaClients.TIMEOUT);
		this.notifier.toGroup("outside", "to the group").block(JavaClients.TIMEOUT);
		this.notifier.toUser("alice", "to alice").block(JavaClients.TIMEOUT);
		this.notifier.toConnection(this.carol.id(), "to carol").block(JavaClients.TIMEOUT);
		this.notifier.toAll("Message", "to all").block(JavaClients.TIMEOUT);

		assertThat(receivedBeforeSentinel()).containsExactly(
				List.of("Message:to alice", "Message:to all"),
				List.of("Message:to the group", "Message:to all"),
				List.of("Message:to alice", "Message:to carol", "Message:to all"));
	}

	@Test
	void sendsToGroupJoinedInsideTheHubFromOutside() throws Exception {
		await(this.carol.connection().invoke("JoinGroup", "joined-inside"));

		this.notifier.toGroup("joined-inside", "from outside").block(JavaClients.TIMEOUT);

		assertThat(receivedBeforeSentinel()).containsExactly(List.of(), List.of(), List.of("Message:from outside"));
	}

	/** One started client, its id and what it received. */
	private record Client(HubConnection connection, Inbox inbox) {

		String id() {
			return this.connection.getConnectionId();
		}
	}
}
