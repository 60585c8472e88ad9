package io.github.springsignalr.hub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.ClientProxy;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.protocol.JsonHubProtocol;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link HubLifetimeManager} must do, whatever carries its messages: each way of choosing
 * recipients reaches exactly the right connections, once each, and group and user membership follows
 * connections as they come and go.
 *
 * <p>Connections are real hub connections (a {@link HubConnectionHandler} over a
 * {@link RecordingConnection}), so they join the manager the way they do in an application. Before
 * looking at what a connection received, a test flushes: it sends a marker to all connections and waits
 * for it, so a manager that delivers asynchronously (a backplane) is tested the same way as one that
 * delivers at once.
 */
public abstract class HubLifetimeManagerContract {

	private static final String RS = "\u001e";

	/** Bound of every wait. */
	protected static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final JsonHubProtocol protocol = new JsonHubProtocol(JsonMapper.builder().build());

	private final Scheduler blocking = Schedulers.newBoundedElastic(2, 100, "lifetime-contract");

	private final List<RecordingConnection> connected = new ArrayList<>();

	private final AtomicInteger flushes = new AtomicInteger();

	private HubLifetimeManager manager;

	private HubConnectionHandler handler;

	/** A new, empty lifetime manager for one hub. */
	protected abstract HubLifetimeManager createLifetimeManager();

	/** Releases what {@link #createLifetimeManager()} created. */
	protected void destroyLifetimeManager(HubLifetimeManager manager) {
	}

	@BeforeEach
	void createManager() {
		this.manager = createLifetimeManager();
		UserIdProvider userIds = (connection) -> (connection.user() != null) ? connection.user().getName() : null;
		this.handler = new HubConnectionHandler("ContractHub", new ContractHub(), HubDescriptor.of(ContractHub.class),
				List.of(this.protocol), HubOptions.defaults(), this.manager, userIds,
				this.blocking);
	}

	@AfterEach
	void destroyManager() {
		destroyLifetimeManager(this.manager);
		this.blocking.dispose();
	}

	/** The manager under test. */
	protected HubLifetimeManager manager() {
		return this.manager;
	}

	/** Connects a client with the given user identifier (or none) and completes its handshake. */
	protected RecordingConnection connect(String id, @Nullable String user) {
		RecordingConnection connection = new RecordingConnection(id, user);
		StepVerifier.create(this.handler.onConnected(connection)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.handler.onReceived(connection,
				("{\"protocol\":\"json\",\"version\":1}" + RS).getBytes(StandardCharsets.UTF_8)))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(connection.awaitTexts(1, TIMEOUT)).containsExactly("{}" + RS);
		this.connected.add(connection);
		return connection;
	}

	protected RecordingConnection connect(String id) {
		return connect(id, null);
	}

	/** Ends a connection as its transport would. */
	protected void disconnect(RecordingConnection connection) {
		this.connected.remove(connection);
		StepVerifier.create(this.handler.onDisconnected(connection, null)).expectComplete().verify(TIMEOUT);
	}

	/** Clients as a {@code HubContext} sees them. */
	protected LifetimeHubClients clients() {
		return new LifetimeHubClients(this.manager, "");
	}

	/** Clients as a hub method called by {@code caller} sees them. */
	protected HubCallerClients callerClients(RecordingConnection caller) {
		return new LifetimeHubClients(this.manager, caller.id());
	}

	/** Sends {@code Send(text)} through the proxy and waits until the manager says it is done. */
	protected static void send(ClientProxy proxy, String text) {
		await(proxy.send("Send", text));
	}

	protected static void await(Mono<Void> done) {
		StepVerifier.create(done).expectComplete().verify(TIMEOUT);
	}

	/** The frame a client receives for {@code Send(text)}. */
	protected static String sent(String text) {
		return "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + text + "\"]}" + RS;
	}

	/** Waits until every connected client has received everything sent before this call. */
	protected void flush() {
		String marker = "flush-" + this.flushes.incrementAndGet();
		await(this.manager.sendAll("Flush", new Object[] { marker }));
		for (RecordingConnection connection : this.connected) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (connection.sentTexts().stream().noneMatch((text) -> text.contains(marker))) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("Connection " + connection.id() + " did not receive " + marker);
				}
				connection.awaitTexts(connection.sentTexts().size() + 1, TIMEOUT);
			}
		}
	}

	/** What a client received after its handshake, without the flush markers. Flush first. */
	protected static List<String> received(RecordingConnection connection) {
		List<String> texts = connection.sentTexts();
		return texts.subList(1, texts.size()).stream().filter((text) -> !text.contains("\"Flush\"")).toList();
	}

	@Test
	void sendsToAllConnections() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");

		send(clients().all(), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).containsExactly(sent("hello"));
	}

	@Test
	void writesArgumentsAsJson() {
		RecordingConnection c1 = connect("c1");

		await(clients().all().send("Many", 1, null, true, List.of("a")));
		flush();

		assertThat(received(c1)).containsExactly("{\"type\":1,\"target\":\"Many\",\"arguments\":[1,null,true,[\"a\"]]}" + RS);
	}

	@Test
	void sendsToAllExceptExcludedConnections() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		RecordingConnection c3 = connect("c3");

		send(clients().allExcept("c1", "c3"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
	}

	@Test
	void sendsToOneClient() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");

		send(clients().client("c2"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("hello"));
	}

	@Test
	void sendsToUnknownClientWithoutError() {
		RecordingConnection c1 = connect("c1");

		send(clients().client("nobody"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
	}

	@Test
	void sendsToSeveralClientsOnceEach() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		RecordingConnection c3 = connect("c3");

		send(clients().clients("c1", "c3", "c1", "unknown"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).isEmpty();
		assertThat(received(c3)).containsExactly(sent("hello"));
	}

	@Test
	void sendsToGroupMembersOnly() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		await(clients().addToGroup("c1", "room"));

		send(clients().group("room"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).isEmpty();
	}

	@Test
	void sendsToEmptyGroupWithoutError() {
		RecordingConnection c1 = connect("c1");

		send(clients().group("nobody-here"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
	}

	@Test
	void sendsToSeveralGroupsOncePerConnection() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		RecordingConnection c3 = connect("c3");
		RecordingConnection c4 = connect("c4");
		await(clients().addToGroup("c1", "red"));
		await(clients().addToGroup("c1", "blue"));
		await(clients().addToGroup("c2", "blue"));
		await(clients().addToGroup("c3", "green"));

		send(clients().groups("red", "blue", "missing"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
		assertThat(received(c4)).isEmpty();
	}

	@Test
	void sendsToGroupExceptExcludedConnections() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		RecordingConnection c3 = connect("c3");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c2", "room"));

		send(clients().groupExcept("room", "c1"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
	}

	@Test
	void sendsToOthersInGroupOfTheCaller() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		RecordingConnection c3 = connect("c3");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c2", "room"));

		send(callerClients(c1).othersInGroup("room"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
	}

	@Test
	void sendsToCallerAndToOthers() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");

		send(callerClients(c1).caller(), "mine");
		send(callerClients(c1).others(), "theirs");
		flush();

		assertThat(received(c1)).containsExactly(sent("mine"));
		assertThat(received(c2)).containsExactly(sent("theirs"));
	}

	@Test
	void sendsToEveryConnectionOfAUser() {
		RecordingConnection c1 = connect("c1", "alice");
		RecordingConnection c2 = connect("c2", "alice");
		RecordingConnection c3 = connect("c3", "bob");
		RecordingConnection c4 = connect("c4");

		send(clients().user("alice"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
		assertThat(received(c4)).isEmpty();
	}

	@Test
	void sendsToSeveralUsersOncePerConnection() {
		RecordingConnection c1 = connect("c1", "alice");
		RecordingConnection c2 = connect("c2", "bob");
		RecordingConnection c3 = connect("c3", "carol");

		send(clients().users("alice", "bob", "alice", "nobody"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
		assertThat(received(c2)).containsExactly(sent("hello"));
		assertThat(received(c3)).isEmpty();
	}

	@Test
	void addsToGroupIdempotently() {
		RecordingConnection c1 = connect("c1");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c1", "room"));

		send(clients().group("room"), "hello");
		flush();

		assertThat(received(c1)).containsExactly(sent("hello"));
	}

	@Test
	void removesFromGroup() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c2", "room"));

		await(clients().removeFromGroup("c1", "room"));
		send(clients().group("room"), "hello");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("hello"));
	}

	@Test
	void ignoresRemovalFromGroupNotJoined() {
		RecordingConnection c1 = connect("c1");

		await(clients().removeFromGroup("c1", "never-joined"));
		await(clients().removeFromGroup("unknown", "room"));
		await(clients().addToGroup("unknown", "room"));
		send(clients().all(), "still fine");
		flush();

		assertThat(received(c1)).containsExactly(sent("still fine"));
	}

	@Test
	void keepsGroupsOfOneConnectionApartFromAnother() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		await(clients().addToGroup("c1", "a"));
		await(clients().addToGroup("c2", "b"));

		send(clients().group("a"), "to a");
		send(clients().group("b"), "to b");
		flush();

		assertThat(received(c1)).containsExactly(sent("to a"));
		assertThat(received(c2)).containsExactly(sent("to b"));
	}

	@Test
	void disconnectedConnectionReceivesNothing() {
		RecordingConnection c1 = connect("c1", "alice");
		RecordingConnection c2 = connect("c2", "alice");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c2", "room"));

		disconnect(c1);
		send(clients().all(), "all");
		send(clients().client("c1"), "client");
		send(clients().clients("c1", "c2"), "clients");
		send(clients().group("room"), "group");
		send(clients().groups("room"), "groups");
		send(clients().user("alice"), "user");
		send(clients().users("alice"), "users");
		flush();

		assertThat(received(c1)).isEmpty();
		assertThat(received(c2)).containsExactly(sent("all"), sent("clients"), sent("group"), sent("groups"),
				sent("user"), sent("users"));
	}

	@Test
	void reconnectingWithSameUserDoesNotRestoreGroups() {
		RecordingConnection c1 = connect("c1", "alice");
		await(clients().addToGroup("c1", "room"));
		disconnect(c1);

		RecordingConnection c2 = connect("c2", "alice");
		send(clients().group("room"), "group");
		send(clients().user("alice"), "user");
		flush();

		assertThat(received(c2)).containsExactly(sent("user"));
	}

	@Test
	void serializesMessageToManyConnectionsOnce() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		await(clients().addToGroup("c1", "room"));
		await(clients().addToGroup("c2", "room"));

		send(clients().all(), "all");
		send(clients().group("room"), "group");
		flush();

		List<byte[]> first = c1.sentFrames();
		List<byte[]> second = c2.sentFrames();
		assertThat(first.get(1)).isSameAs(second.get(1));
		assertThat(first.get(2)).isSameAs(second.get(2));
	}

	/** The hub behind the connections; the contract calls no methods on it. */
	public static class ContractHub {

		public void noop() {
		}

	}

}
