package io.github.springsignalr.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.github.springsignalr.HubException;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.HubLifetimeManagerContract.ContractHub;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;

import static io.github.springsignalr.redis.RedisNode.JSON;
import static io.github.springsignalr.redis.RedisNode.MESSAGE_PACK;
import static io.github.springsignalr.redis.RedisNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of one application on one real Redis: whatever a message's recipients, it reaches the
 * connections of both nodes exactly once; group commands and client results cross nodes. Run with
 * plain and with sharded pub/sub by the subclasses.
 */
abstract class RedisCrossNodeTestSupport {

	private static final String RS = "\u001e";

	private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

	private static RedisServer redis;

	private static RedisClient client;

	private final List<RecordingConnection> connected = new ArrayList<>();

	private final AtomicInteger flushes = new AtomicInteger();

	private String prefix;

	private RedisNode a;

	private RedisNode b;

	/** Whether the nodes use sharded pub/sub. */
	protected abstract boolean sharded();

	@BeforeAll
	static void startRedis() {
		redis = RedisServer.start();
		client = RedisClient.create(redis.url());
	}

	@AfterAll
	static void stopRedis() {
		if (client != null) {
			client.shutdown();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void startNodes() {
		this.prefix = "test-" + UUID.randomUUID() + ":";
		this.a = new RedisNode(client, sharded(), this.prefix, ACK_TIMEOUT);
		this.b = new RedisNode(client, sharded(), this.prefix, ACK_TIMEOUT);
	}

	@AfterEach
	void stopNodes() {
		this.a.close();
		this.b.close();
	}

	private RecordingConnection connect(RedisNode node, String id, String user, HubProtocol protocol) {
		RecordingConnection connection = node.connect(id, user, protocol);
		this.connected.add(connection);
		return connection;
	}

	private RecordingConnection connect(RedisNode node, String id, String user) {
		return connect(node, id, user, JSON);
	}

	private RecordingConnection connect(RedisNode node, String id) {
		return connect(node, id, null, JSON);
	}

	private static void await(Mono<Void> done) {
		StepVerifier.create(done).expectComplete().verify(TIMEOUT);
	}

	private static void send(io.github.springsignalr.ClientProxy proxy, String text) {
		await(proxy.send("Send", text));
	}

	private static String sent(String text) {
		return "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + text + "\"]}" + RS;
	}

	/**
	 * Waits until every client received everything both nodes sent before: a marker from each node
	 * arrives after all that node published earlier.
	 */
	private void flush() {
		String marker = "flush-" + this.flushes.incrementAndGet();
		await(this.a.manager().sendAll("Flush", new Object[] { marker + "-a" }));
		await(this.b.manager().sendAll("Flush", new Object[] { marker + "-b" }));
		for (RecordingConnection connection : this.connected) {
			awaitFrame(connection, marker + "-a");
			awaitFrame(connection, marker + "-b");
		}
	}

	private static void awaitFrame(RecordingConnection connection, String text) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		List<String> texts = connection.sentTexts();
		while (texts.stream().noneMatch((frame) -> frame.contains(text))) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Connection " + connection.id() + " did not receive " + text + " within "
						+ TIMEOUT + "; it got " + texts);
			}
			texts = connection.awaitTexts(texts.size() + 1, TIMEOUT);
		}
	}

	/**
	 * What a client received after its handshake, without flush markers. Flush first. Messages of one
	 * node keep their order; messages of two nodes have none between them.
	 */
	private static List<String> received(RecordingConnection connection) {
		List<String> texts = connection.sentTexts();
		return texts.subList(1, texts.size()).stream().filter((text) -> !text.contains("Flush")).toList();
	}

	private static List<byte[]> receivedFrames(RecordingConnection connection) {
		List<byte[]> frames = connection.sentFrames();
		return frames.subList(1, frames.size())
			.stream()
			.filter((frame) -> !new String(frame, StandardCharsets.UTF_8).contains("Flush"))
			.toList();
	}

	private String channel(String suffix) {
		return this.prefix + ContractHub.class.getName() + ":" + suffix;
	}

	@Test
	void sendsToAllConnectionsOfBothNodesOnce() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection a2 = connect(this.a, "a2");
		RecordingConnection b1 = connect(this.b, "b1");

		send(this.a.clients().all(), "from a");
		send(this.b.clients().all(), "from b");
		flush();

		assertThat(received(a1)).containsExactlyInAnyOrder(sent("from a"), sent("from b"));
		assertThat(received(a2)).containsExactlyInAnyOrder(sent("from a"), sent("from b"));
		assertThat(received(b1)).containsExactlyInAnyOrder(sent("from a"), sent("from b"));
	}

	@Test
	void sendsToAllExceptExcludedConnectionsOfBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection a2 = connect(this.a, "a2");
		RecordingConnection b1 = connect(this.b, "b1");
		RecordingConnection b2 = connect(this.b, "b2");

		send(this.a.clients().allExcept("a1", "b2"), "hello");
		flush();

		assertThat(received(a1)).isEmpty();
		assertThat(received(a2)).containsExactly(sent("hello"));
		assertThat(received(b1)).containsExactly(sent("hello"));
		assertThat(received(b2)).isEmpty();
	}

	@Test
	void sendsToOthersOfTheCallerOnBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection b1 = connect(this.b, "b1");

		send(new io.github.springsignalr.hub.LifetimeHubClients(this.b.manager(), "b1").others(), "theirs");
		flush();

		assertThat(received(a1)).containsExactly(sent("theirs"));
		assertThat(received(b1)).isEmpty();
	}

	@Test
	void sendsToAConnectionOfTheOtherNode() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection b1 = connect(this.b, "b1");
		RecordingConnection b2 = connect(this.b, "b2");

		send(this.a.clients().client("b1"), "one");
		send(this.a.clients().clients("a1", "b2", "b2", "nobody"), "some");
		flush();

		assertThat(received(a1)).containsExactly(sent("some"));
		assertThat(received(b1)).containsExactly(sent("one"));
		assertThat(received(b2)).containsExactly(sent("some"));
	}

	@Test
	void sendsToGroupMembersOfBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection a2 = connect(this.a, "a2");
		RecordingConnection b1 = connect(this.b, "b1");
		RecordingConnection b2 = connect(this.b, "b2");
		await(this.a.clients().addToGroup("a1", "room"));
		await(this.b.clients().addToGroup("b1", "room"));

		send(this.a.clients().group("room"), "from a");
		send(this.b.clients().group("room"), "from b");
		flush();

		assertThat(received(a1)).containsExactlyInAnyOrder(sent("from a"), sent("from b"));
		assertThat(received(a2)).isEmpty();
		assertThat(received(b1)).containsExactlyInAnyOrder(sent("from a"), sent("from b"));
		assertThat(received(b2)).isEmpty();
	}

	@Test
	void sendsToGroupExceptExcludedConnectionsOfBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection b1 = connect(this.b, "b1");
		RecordingConnection b2 = connect(this.b, "b2");
		await(this.a.clients().addToGroup("a1", "room"));
		await(this.b.clients().addToGroup("b1", "room"));
		await(this.b.clients().addToGroup("b2", "room"));

		send(this.a.clients().groupExcept("room", "b1"), "hello");
		send(new io.github.springsignalr.hub.LifetimeHubClients(this.b.manager(), "b2").othersInGroup("room"),
				"others");
		flush();

		assertThat(received(a1)).containsExactlyInAnyOrder(sent("hello"), sent("others"));
		assertThat(received(b1)).containsExactly(sent("others"));
		assertThat(received(b2)).containsExactly(sent("hello"));
	}

	@Test
	void sendsToSeveralGroupsOncePerConnectionOfBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1");
		RecordingConnection b1 = connect(this.b, "b1");
		RecordingConnection b2 = connect(this.b, "b2");
		RecordingConnection b3 = connect(this.b, "b3");
		await(this.a.clients().addToGroup("a1", "red"));
		await(this.a.clients().addToGroup("a1", "blue"));
		await(this.b.clients().addToGroup("b1", "red"));
		await(this.b.clients().addToGroup("b1", "blue"));
		await(this.b.clients().addToGroup("b2", "blue"));
		await(this.b.clients().addToGroup("b3", "green"));

		send(this.a.clients().groups("red", "blue", "red", "missing"), "hello");
		flush();

		assertThat(received(a1)).containsExactly(sent("hello"));
		assertThat(received(b1)).containsExactly(sent("hello"));
		assertThat(received(b2)).containsExactly(sent("hello"));
		assertThat(received(b3)).isEmpty();
	}

	@Test
	void sendsToEveryConnectionOfAUserOnBothNodes() {
		RecordingConnection a1 = connect(this.a, "a1", "alice");
		RecordingConnection b1 = connect(this.b, "b1", "alice");
		RecordingConnection b2 = connect(this.b, "b2", "alice");
		RecordingConnection b3 = connect(this.b, "b3", "bob");
		RecordingConnection a2 = connect(this.a, "a2", "carol");

		send(this.a.clients().user("alice"), "alice");
		send(this.b.clients().users("bob", "carol", "bob"), "bob and carol");
		flush();

		assertThat(received(a1)).containsExactly(sent("alice"));
		assertThat(received(b1)).containsExactly(sent("alice"));
		assertThat(received(b2)).containsExactly(sent("alice"));
		assertThat(received(b3)).containsExactly(sent("bob and carol"));
		assertThat(received(a2)).containsExactly(sent("bob and carol"));
	}

	@Test
	void addsAndRemovesAConnectionOfTheOtherNode() {
		RecordingConnection b1 = connect(this.b, "b1");

		await(this.a.clients().addToGroup("b1", "room"));
		assertThat(this.b.manager().groupSubscriptionCount()).isOne();
		send(this.a.clients().group("room"), "in");
		flush();
		await(this.a.clients().removeFromGroup("b1", "room"));
		send(this.a.clients().group("room"), "out");
		flush();

		assertThat(received(b1)).containsExactly(sent("in"));
		assertThat(this.b.manager().groupSubscriptionCount()).isZero();
	}

	@Test
	void subscribesGroupAndUserChannelsOnlyWhileANodeHasMembers() {
		RecordingConnection b1 = connect(this.b, "b1", "alice");
		await(this.b.clients().addToGroup("b1", "room"));
		assertThat(subscribers(channel("group:room"), 1)).isOne();
		assertThat(subscribers(channel("user:alice"), 1)).isOne();
		assertThat(subscribers(channel("connection:b1"), 1)).isOne();

		this.b.disconnect(b1);

		assertThat(subscribers(channel("group:room"), 0)).isZero();
		assertThat(subscribers(channel("user:alice"), 0)).isZero();
		assertThat(subscribers(channel("connection:b1"), 0)).isZero();
	}

	/**
	 * Subscribers Redis counts for a channel: polled until it is {@code expected} (subscribe and unsubscribe
	 * commands are sent asynchronously) or the timeout passes, then returned for the assertion.
	 */
	private long subscribers(String channel, long expected) {
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (true) {
				Map<String, Long> counts = sharded() ? connection.sync().pubsubShardNumsub(channel)
						: connection.sync().pubsubNumsub(channel);
				long count = counts.getOrDefault(channel, 0L);
				if (count == expected || System.nanoTime() > deadline) {
					return count;
				}
			}
		}
	}

	@Test
	void completesAGroupCommandAtOnceWhenNoNodeHasTheConnection() {
		RecordingConnection b1 = connect(this.b, "b1");
		this.b.disconnect(b1);

		await(this.a.clients().addToGroup("b1", "room"));
		await(this.a.clients().removeFromGroup("nobody", "room"));
	}

	@Test
	void failsAGroupCommandThatTheOwningNodeDoesNotAcknowledge() {
		// a node that holds the connection's channel but has stopped answering
		try (StatefulRedisPubSubConnection<String, String> stalled = client.connectPubSub()) {
			if (sharded()) {
				stalled.sync().ssubscribe(channel("connection:stalled"));
			}
			else {
				stalled.sync().subscribe(channel("connection:stalled"));
			}

			StepVerifier.create(this.a.clients().addToGroup("stalled", "room"))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(RedisBackplaneException.class)
					.hasMessage("Adding connection 'stalled' to group 'room' was not acknowledged within PT2S "
							+ "by the node that owns the connection."))
				.verify(TIMEOUT);
			StepVerifier.create(this.a.clients().removeFromGroup("stalled", "room"))
				.expectErrorMessage("Removing connection 'stalled' from group 'room' was not acknowledged within "
						+ "PT2S by the node that owns the connection.")
				.verify(TIMEOUT);
		}
	}

	@Test
	void returnsTheResultOfAClientOnTheOtherNode() throws Exception {
		RecordingConnection b1 = connect(this.b, "b1");

		CompletableFuture<Integer> result = this.a.manager()
			.invokeConnection("b1", "GetNumber", new Object[] { "question" }, Integer.class)
			.toFuture();
		HubMessage.Invocation invocation = awaitInvocation(b1, JSON);
		this.b.receive(b1, ("{\"type\":3,\"invocationId\":\"" + invocation.invocationId() + "\",\"result\":42}" + RS)
			.getBytes(StandardCharsets.UTF_8));

		assertThat(invocation.target()).isEqualTo("GetNumber");
		assertThat(result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
	}

	@Test
	void returnsTheResultOfAMessagePackClientOnTheOtherNode() throws Exception {
		RecordingConnection b1 = connect(this.b, "b1", null, MESSAGE_PACK);

		CompletableFuture<String> result = this.a.manager()
			.invokeConnection("b1", "GetName", new Object[0], String.class)
			.toFuture();
		HubMessage.Invocation invocation = awaitInvocation(b1, MESSAGE_PACK);
		this.b.receive(b1, MESSAGE_PACK.writeMessage(HubMessage.Completion.withResult(invocation.invocationId(), "bob")));

		assertThat(result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("bob");
	}

	@Test
	void failsAClientResultWithTheClientsError() {
		RecordingConnection b1 = connect(this.b, "b1");

		Mono<Integer> result = this.a.manager().invokeConnection("b1", "GetNumber", new Object[0], Integer.class);
		StepVerifier.create(result).then(() -> {
			HubMessage.Invocation invocation = awaitInvocation(b1, JSON);
			this.b.receive(b1, ("{\"type\":3,\"invocationId\":\"" + invocation.invocationId()
					+ "\",\"error\":\"Client said no\"}" + RS).getBytes(StandardCharsets.UTF_8));
		})
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(HubException.class).hasMessage("Client said no"))
			.verify(TIMEOUT);
	}

	@Test
	void failsAClientResultWhenTheClientDisconnects() {
		RecordingConnection b1 = connect(this.b, "b1");

		Mono<Integer> result = this.a.manager().invokeConnection("b1", "GetNumber", new Object[0], Integer.class);
		StepVerifier.create(result).then(() -> {
			awaitInvocation(b1, JSON);
			this.b.disconnect(b1);
		})
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(HubException.class)
				.hasMessage("Connection 'b1' disconnected."))
			.verify(TIMEOUT);
	}

	@Test
	void failsAClientResultForAConnectionNoNodeHas() {
		StepVerifier.create(this.a.manager().invokeConnection("nobody", "GetNumber", new Object[0], Integer.class))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(HubException.class)
				.hasMessage("Connection 'nobody' does not exist."))
			.verify(TIMEOUT);
	}

	private static HubMessage.Invocation awaitInvocation(RecordingConnection connection, HubProtocol protocol) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			int seen = connection.sentFrames().size();
			for (HubMessage message : RedisNode.messages(connection, protocol)) {
				if (message instanceof HubMessage.Invocation invocation && invocation.invocationId() != null) {
					return invocation;
				}
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No invocation reached " + connection.id());
			}
			connection.awaitTexts(seen + 1, TIMEOUT);
		}
	}

	@Test
	void deliversABroadcastToEachConnectionInItsOwnProtocol() {
		RecordingConnection aJson = connect(this.a, "a1", null, JSON);
		RecordingConnection aPack = connect(this.a, "a2", null, MESSAGE_PACK);
		RecordingConnection bJson = connect(this.b, "b1", null, JSON);
		RecordingConnection bPack = connect(this.b, "b2", null, MESSAGE_PACK);

		send(this.a.clients().all(), "hello");
		flush();

		byte[] messagePack = MESSAGE_PACK.writeMessage(new HubMessage.Invocation(null, "Send", List.of("hello")));
		assertThat(received(aJson)).containsExactly(sent("hello"));
		assertThat(received(bJson)).containsExactly(sent("hello"));
		assertThat(receivedFrames(aPack)).containsExactly(messagePack);
		assertThat(receivedFrames(bPack)).containsExactly(messagePack);
	}

}
