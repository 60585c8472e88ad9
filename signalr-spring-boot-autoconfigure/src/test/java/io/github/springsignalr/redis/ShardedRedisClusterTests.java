package io.github.springsignalr.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.HubLifetimeManagerContract.ContractHub;
import io.github.springsignalr.protocol.HubMessage;

import static io.github.springsignalr.redis.RedisNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on a real three-primary Redis Cluster with sharded pub/sub: channels hash to different
 * slots and primaries, and messages, group commands and client results still cross nodes.
 */
class ShardedRedisClusterTests {

	private static final String RS = "\u001e";

	private static RedisCluster cluster;

	private static RedisClusterClient client;

	private String prefix;

	private RedisNode a;

	private RedisNode b;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start();
		client = RedisClusterClient.create(cluster.uris());
	}

	@AfterAll
	static void stopCluster() {
		if (client != null) {
			client.shutdown();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@BeforeEach
	void startNodes() {
		this.prefix = "test-" + UUID.randomUUID() + ":";
		this.a = new RedisNode(client, true, this.prefix, Duration.ofSeconds(2));
		this.b = new RedisNode(client, true, this.prefix, Duration.ofSeconds(2));
	}

	@AfterEach
	void stopNodes() {
		this.a.close();
		this.b.close();
	}

	private static void await(Mono<Void> done) {
		StepVerifier.create(done).expectComplete().verify(TIMEOUT);
	}

	private static String sent(String text) {
		return "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + text + "\"]}" + RS;
	}

	private String channel(String suffix) {
		return this.prefix + ContractHub.class.getName() + ":" + suffix;
	}

	@Test
	void groupsOnDifferentShardsReachMembersOfTheOtherNode() {
		String blue = groupOnAnotherPrimaryThan("red");
		RecordingConnection b1 = this.b.connect("b1");
		RecordingConnection b2 = this.b.connect("b2", "alice");
		await(this.a.clients().addToGroup("b1", "red"));
		await(this.a.clients().addToGroup("b2", blue));

		await(this.a.clients().group("red").send("Send", "red"));
		await(this.a.clients().group(blue).send("Send", "blue"));
		await(this.a.clients().user("alice").send("Send", "alice"));
		await(this.a.clients().client("b1").send("Send", "b1"));
		await(this.a.clients().all().send("Send", "all"));

		assertThat(b1.awaitTexts(4, TIMEOUT).subList(1, 4)).containsExactlyInAnyOrder(sent("red"), sent("b1"),
				sent("all"));
		assertThat(b2.awaitTexts(4, TIMEOUT).subList(1, 4)).containsExactlyInAnyOrder(sent("blue"), sent("alice"),
				sent("all"));
	}

	/** A group name whose channel hashes to a slot of another primary than the given group's. */
	private String groupOnAnotherPrimaryThan(String group) {
		String primary = primaryOf(channel("group:" + group));
		for (int i = 0;; i++) {
			String candidate = "blue" + i;
			if (!primaryOf(channel("group:" + candidate)).equals(primary)) {
				return candidate;
			}
		}
	}

	private static String primaryOf(String channel) {
		return client.getPartitions().getMasterBySlot(SlotHash.getSlot(channel)).getNodeId();
	}

	@Test
	void returnsAClientResultAcrossShards() throws Exception {
		RecordingConnection b1 = this.b.connect("b1");

		CompletableFuture<Integer> result = this.a.manager()
			.invokeConnection("b1", "GetNumber", new Object[0], Integer.class)
			.toFuture();
		b1.awaitTexts(2, TIMEOUT);
		HubMessage.Invocation invocation = (HubMessage.Invocation) RedisNode.messages(b1, RedisNode.JSON).get(0);
		this.b.receive(b1, ("{\"type\":3,\"invocationId\":\"" + invocation.invocationId() + "\",\"result\":7}" + RS)
			.getBytes(StandardCharsets.UTF_8));

		assertThat(result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(7);
		assertThat(List.of(this.a.nodeId(), this.b.nodeId())).doesNotHaveDuplicates();
	}

}
