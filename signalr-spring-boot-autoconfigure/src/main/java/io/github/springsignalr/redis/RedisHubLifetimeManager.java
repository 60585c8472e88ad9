package io.github.springsignalr.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.HubConnectionStore;
import io.github.springsignalr.hub.HubConnectionStore.Recipients;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * A {@link HubLifetimeManager} for an application running on several nodes: the nodes exchange hub
 * messages, group commands and client results through Redis pub/sub (Lettuce, through a
 * {@link RedisBackplane}), so a message sent on any node reaches the connections of every node.
 *
 * <p>Local recipients are served at once, without Redis, exactly as by the in-memory manager (both keep
 * them in a {@link io.github.springsignalr.hub.HubConnectionStore}); other
 * nodes receive the message through Redis and skip what their own node published. A message is
 * serialized once for each protocol in use (JSON, MessagePack), and every node writes those bytes as
 * they are to its connections. The {@code Mono} of a send completes when Redis took the message, and
 * fails with a {@link RedisBackplaneException} when it did not.
 *
 * <h2>Channels</h2>
 * Every channel of a hub starts with {@code <prefix><hub>}, where {@code <prefix>} is
 * {@code signalr.redis.channel-prefix} (empty by default) and {@code <hub>} the hub's class name, as
 * ASP.NET Core names them (e.g. {@code com.example.ChatHub:all}):
 * <table>
 * <caption>Channels of one hub</caption>
 * <tr><th>channel</th><th>subscribed by</th><th>carries</th></tr>
 * <tr><td>{@code <prefix><hub>:all}</td><td>every node, always</td><td>Invocation: to all connections
 * (minus the excluded)</td></tr>
 * <tr><td>{@code <prefix><hub>:connection:<connectionId>}</td><td>the node owning the connection, while it
 * is connected</td><td>Invocation: to that connection; GroupCommand: add it to or remove it from a group;
 * ClientInvocation: an invocation whose result another node waits for</td></tr>
 * <tr><td>{@code <prefix><hub>:group:<groupName>}</td><td>each node while it has local members in the
 * group (reference counted)</td><td>Invocation: to the group's members (minus the excluded)</td></tr>
 * <tr><td>{@code <prefix><hub>:user:<userId>}</td><td>each node while it has connections of the user
 * (reference counted)</td><td>Invocation: to every connection of the user</td></tr>
 * <tr><td>{@code <prefix><hub>:internal:ack:<nodeId>}</td><td>that node, always</td><td>Ack: a group
 * command it sent was carried out</td></tr>
 * <tr><td>{@code <prefix><hub>:internal:return:<nodeId>}</td><td>that node, always</td><td>Result: a
 * client's Completion of an invocation it sent</td></tr>
 * </table>
 * With {@code signalr.redis.sharded-pubsub} the same channels are shard channels ({@code SSUBSCRIBE} /
 * {@code SPUBLISH}): each lives on the cluster shard that owns its hash slot.
 *
 * <p>Unlike ASP.NET Core, which sends group commands on one {@code :internal:groups} channel that every
 * node hears, a group command for a connection of another node is published on that connection's own
 * channel: only its owner hears it, and when {@code PUBLISH} reports no subscriber no node owns the
 * connection, so the call completes at once (as the in-memory manager ignores an unknown connection)
 * instead of waiting for an ack that cannot come. When a node does own it, the call waits for the
 * owner's Ack for at most {@code signalr.redis.ack-timeout} and then fails with a
 * {@link RedisBackplaneException} that names the connection and the group.
 *
 * <h2>Payloads</h2>
 * Binary, big-endian. {@code int} is four bytes; {@code string} is an {@code int} byte length and
 * UTF-8 bytes; {@code bytes} is an {@code int} length and the bytes; {@code list<T>} is an {@code int}
 * count and the items; {@code serializations} is a {@code list} of ({@code string} protocol name,
 * {@code bytes} the message framed as that protocol writes it to a client). Every payload starts with:
 * <pre>
 * byte    version        1
 * byte    kind           1 Invocation, 2 GroupCommand, 3 ClientInvocation, 4 Ack, 5 Result
 * string  origin         id of the node that published it (host name, '_', random UUID)
 * </pre>
 * followed by, for each kind:
 * <pre>
 * Invocation        list&lt;string&gt; excluded connection ids
 *                   list&lt;string&gt; groups: when sent to several groups, all of them (else empty); a member
 *                                  of several gets it only from the channel of the first it is in
 *                   serializations  the Invocation message (no invocation id)
 * GroupCommand      int id, byte action (1 add, 0 remove), string connection id, string group name
 * ClientInvocation  string invocation id, serializations of the Invocation carrying that id; the owner
 *                   writes it and returns the client's Completion on the origin's return channel
 * Ack               int id of the GroupCommand
 * Result            string invocation id, string protocol of the connection, bytes the client's
 *                   Completion in that protocol (bound to the expected type by the origin)
 * </pre>
 * A node ignores payloads of another version or that it cannot read, with a warning.
 *
 * <h2>Delivery</h2>
 * Redis pub/sub delivers at most once: a node that is disconnected from Redis misses what is published
 * meanwhile (Lettuce reconnects and subscribes again by itself). Messages from one node on one channel
 * arrive in the order they were sent. A new connection's hub {@code OnConnected} and first messages wait
 * until its connection and user channels are subscribed ({@link #whenReachable}), and
 * {@code addToGroup} completes once the group's channel is, so nothing sent afterwards is missed.
 *
 * <h2>When Redis is away</h2>
 * Every node keeps serving its own clients: local recipients never go through Redis. From the moment
 * Lettuce sees its connection drop until it has reconnected, a send that must reach other nodes fails
 * its {@code Mono} with a {@link RedisBackplaneException} ({@code Could not publish to Redis channel
 * <channel>: not connected to Redis (reconnecting)}) after the local recipients got it, instead of
 * waiting in Lettuce's queue; those messages never reach the other nodes. Lettuce reconnects with the
 * exponential delay of its {@code ClientResources} (up to 30 s by default; a Spring Boot
 * {@code ClientResourcesBuilderCustomizer} can shorten it) and subscribes every channel again, and
 * delivery across nodes resumes by itself, without restarting the nodes (measured: see the README's
 * Redis section).
 *
 * <p>A node whose Redis cannot be reached at startup starts all the same ({@link RedisBackplane#start}):
 * it serves its own clients, its channels are subscribed once the backplane connects in the background,
 * and until then sends that must reach other nodes fail as above ({@code not connected to Redis yet}).
 *
 * <h2>Requests for a connection of another node</h2>
 * No sticky sessions are needed (unless {@code signalr.redis.forwarding=false}): the node that serves a
 * negotiate owns the new connection and starts its connection token with its own node id, as in
 * {@code <nodeId>.<random>} (a {@link RedisNodeDirectory} id, not {@link RedisBackplane#nodeId()}).
 * Every node registers its id and advertised base URL ({@code signalr.redis.node-url}) under the key
 * {@code <prefix>internal:node:<nodeId>}, with a time to live it keeps refreshing. A transport request
 * (WebSocket, SSE, poll, POST or DELETE) whose token names another node is forwarded to that node by a
 * direct HTTP call (a relayed WebSocket for upgrades) in
 * {@link io.github.springsignalr.webflux.RequestForwardingWebFilter}, before Spring Security, with the
 * client's headers: the owner authorizes and serves it as a local request. Pub/sub carries no request
 * bodies: an SSE stream or a long poll is a plain HTTP stream between two nodes. An unknown or
 * unreachable owner gets the reference's 404 {@code No Connection with that ID}; while the owner cannot
 * be looked up (Redis down, or not answering within 2 s) the request gets 503 at once. The lifetime
 * manager does not change for that: it already reaches a connection on whichever node it lives.
 */
public class RedisHubLifetimeManager implements HubLifetimeManager, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisHubLifetimeManager.class);

	private final RedisBackplane backplane;

	private final String nodeId;

	private final RedisChannels channels;

	private final List<HubProtocol> protocols;

	private volatile Supplier<List<HubProtocol>> additionalProtocols = List::of;

	/** The protocols a message to other nodes is serialized in, known at the first such message. */
	private volatile @Nullable List<HubProtocol> published;

	private final RedisLocalSubscriptions local;

	private final HubConnectionStore connections;

	private final RedisGroupAcks acks;

	private final RedisClientResults results;

	private final Mono<Void> started;

	private volatile boolean closed;

	/**
	 * Creates the manager of one hub and subscribes its node-wide channels.
	 * @param backplane this node's link to Redis
	 * @param channelPrefix prefix of every channel name (may be empty)
	 * @param hubKey what names the hub in its channels (its class name)
	 * @param protocols the protocols connections may speak; messages are serialized for each
	 * @param ackTimeout how long a group command for a connection of another node waits for its Ack
	 * @param clientResultTimeout how long a client result is waited for; {@code null} for ever
	 */
	public RedisHubLifetimeManager(RedisBackplane backplane, String channelPrefix, String hubKey,
			List<HubProtocol> protocols, Duration ackTimeout, @Nullable Duration clientResultTimeout) {
		if (protocols.isEmpty()) {
			throw new IllegalArgumentException("At least one hub protocol is needed");
		}
		this.backplane = backplane;
		this.nodeId = backplane.nodeId();
		this.channels = new RedisChannels(channelPrefix, hubKey, this.nodeId);
		this.protocols = List.copyOf(protocols);
		this.local = new RedisLocalSubscriptions(backplane, this.channels, this::onConnectionMessage,
				this::logFailure);
		this.connections = this.local.connections();
		this.acks = new RedisGroupAcks(backplane, this.channels, ackTimeout, this::logFailure);
		this.results = new RedisClientResults(backplane, this.channels, this.protocols, clientResultTimeout,
				this::logFailure);
		this.started = Mono
			.when(backplane.subscribe(this.channels.all(), this.local::onAllMessage),
					backplane.subscribe(this.channels.ack(), this.acks::onAck),
					backplane.subscribe(this.channels.returnResults(), this.results::onResult))
			.cache();
	}

	/**
	 * Protocols some of the hub's connections speak beside the negotiated ones (the classic ASP.NET SignalR 2
	 * encoding): messages to other nodes are serialized in them too. Asked for once, at the first message
	 * to other nodes (when every hub of the application is mapped).
	 */
	public void setAdditionalProtocols(Supplier<List<HubProtocol>> additionalProtocols) {
		this.additionalProtocols = additionalProtocols;
		this.published = null;
	}

	private List<HubProtocol> publishedProtocols() {
		List<HubProtocol> published = this.published;
		if (published == null) {
			List<HubProtocol> all = new ArrayList<>(this.protocols);
			for (HubProtocol protocol : this.additionalProtocols.get()) {
				if (all.stream().noneMatch((known) -> known.name().equals(protocol.name()))) {
					all.add(protocol);
				}
			}
			published = List.copyOf(all);
			this.published = published;
		}
		return published;
	}

	/** Completes when the hub's node-wide channels are subscribed. */
	public Mono<Void> started() {
		return this.started;
	}

	/** The first part of every channel name of this hub ({@code <prefix><hub>}). */
	public String channelPrefix() {
		return this.channels.hub();
	}

	/** Number of connections of this node. */
	public int connectionCount() {
		return this.connections.size();
	}

	/** Number of groups with members on this node: the group channels this node is subscribed to. */
	public int groupSubscriptionCount() {
		return this.local.groupCount();
	}

	/** Number of users with connections on this node: the user channels this node is subscribed to. */
	public int userSubscriptionCount() {
		return this.local.userCount();
	}

	@Override
	public void onConnected(HubConnectionContext connection) {
		this.local.connect(connection);
	}

	/** Completes when the channels of the connection (and of its user) are subscribed. */
	@Override
	public Mono<Void> whenReachable(HubConnectionContext connection) {
		return this.local.whenReachable(connection);
	}

	@Override
	public void onDisconnected(HubConnectionContext connection) {
		this.local.disconnect(connection);
	}

	private static SerializedHubMessage invocation(String method, @Nullable Object[] arguments) {
		return new SerializedHubMessage(new HubMessage.Invocation(null, method, Arrays.asList(arguments)));
	}

	@Override
	public Mono<Void> sendAll(String method, @Nullable Object[] arguments) {
		return sendAllExcept(method, arguments, List.of());
	}

	@Override
	public Mono<Void> sendAllExcept(String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		SerializedHubMessage message = invocation(method, arguments);
		Set<String> excluded = Set.copyOf(excludedConnectionIds);
		SendBatch.run(() -> this.connections.send(Recipients.allExcept(excluded), message));
		return publish(this.channels.all(), message, List.copyOf(excluded), List.of());
	}

	@Override
	public Mono<Void> sendConnection(String connectionId, String method, @Nullable Object[] arguments) {
		return sendConnections(List.of(connectionId), method, arguments);
	}

	@Override
	public Mono<Void> sendConnections(Collection<String> connectionIds, String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		List<Mono<Void>> published = new ArrayList<>();
		for (String id : new LinkedHashSet<>(connectionIds)) {
			HubConnectionContext connection = this.connections.get(id);
			if (connection != null) {
				connection.write(message);
			}
			else {
				published.add(publish(this.channels.connection(id), message, List.of(), List.of()));
			}
		}
		return Mono.when(published);
	}

	@Override
	public Mono<Void> sendGroup(String groupName, String method, @Nullable Object[] arguments) {
		return sendGroupExcept(groupName, method, arguments, List.of());
	}

	@Override
	public Mono<Void> sendGroups(Collection<String> groupNames, String method, @Nullable Object[] arguments) {
		List<String> names = List.copyOf(new LinkedHashSet<>(groupNames));
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> this.connections.send(Recipients.groups(names), message));
		List<String> all = (names.size() > 1) ? names : List.of();
		List<Mono<Void>> published = new ArrayList<>();
		for (String name : names) {
			published.add(publish(this.channels.group(name), message, List.of(), all));
		}
		return Mono.when(published);
	}

	@Override
	public Mono<Void> sendGroupExcept(String groupName, String method, @Nullable Object[] arguments,
			Collection<String> excludedConnectionIds) {
		SerializedHubMessage message = invocation(method, arguments);
		Set<String> excluded = Set.copyOf(excludedConnectionIds);
		SendBatch.run(() -> this.connections.send(Recipients.groupExcept(groupName, excluded), message));
		return publish(this.channels.group(groupName), message, List.copyOf(excluded), List.of());
	}

	@Override
	public Mono<Void> sendUser(String userId, String method, @Nullable Object[] arguments) {
		return sendUsers(List.of(userId), method, arguments);
	}

	@Override
	public Mono<Void> sendUsers(Collection<String> userIds, String method, @Nullable Object[] arguments) {
		Set<String> users = new LinkedHashSet<>(userIds);
		SerializedHubMessage message = invocation(method, arguments);
		SendBatch.run(() -> this.connections.send(Recipients.users(users), message));
		List<Mono<Void>> published = new ArrayList<>();
		for (String user : users) {
			published.add(publish(this.channels.user(user), message, List.of(), List.of()));
		}
		return Mono.when(published);
	}

	/** Publishes a message for other nodes' connections. The command is sent at once. */
	private Mono<Void> publish(String channel, SerializedHubMessage message, List<String> excluded,
			List<String> groups) {
		byte[] payload = RedisProtocol.write(new RedisProtocol.Invocation(this.nodeId, excluded, groups,
				RedisProtocol.serializations(message, publishedProtocols())));
		return this.backplane.publish(channel, payload).then();
	}

	@Override
	public <T> Mono<T> invokeConnection(String connectionId, String method, @Nullable Object[] arguments,
			Class<T> resultType) {
		HubConnectionContext local = this.connections.get(connectionId);
		if (local != null) {
			return local.invokeClient(method, arguments, resultType);
		}
		return this.results.invoke(connectionId, method, arguments, resultType);
	}

	@Override
	public Mono<Void> addToGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			return this.local.addToGroup(connection, groupName);
		}
		return this.acks.send(connectionId, groupName, true);
	}

	@Override
	public Mono<Void> removeFromGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			this.local.removeFromGroup(connection, groupName);
			return Mono.empty();
		}
		return this.acks.send(connectionId, groupName, false);
	}

	private void onConnectionMessage(HubConnectionContext connection, byte[] payload) {
		RedisProtocol.Payload read = RedisProtocol.readOrWarn(payload);
		boolean current = this.connections.get(connection.connectionId()) == connection;
		if (read instanceof RedisProtocol.Invocation invocation) {
			if (current) {
				this.local.deliver(connection, invocation);
			}
		}
		else if (read instanceof RedisProtocol.GroupCommand command) {
			if (!current) {
				// the connection is gone, so is its membership: nothing to do
				this.acks.acknowledge(command);
			}
			else if (command.add()) {
				this.local.addToGroup(connection, command.group()).subscribe(null,
						(ex) -> logger.warn("Could not add connection " + command.connectionId() + " to group "
								+ command.group() + " for node " + command.origin(), ex),
						() -> this.acks.acknowledge(command));
			}
			else {
				this.local.removeFromGroup(connection, command.group());
				this.acks.acknowledge(command);
			}
		}
		else if (read instanceof RedisProtocol.ClientInvocation invocation) {
			this.results.forward(connection, current, invocation);
		}
	}

	private void logFailure(Mono<?> done) {
		done.subscribe(null, (ex) -> {
			if (!this.closed) {
				logger.warn(ex.getMessage(), ex.getCause());
			}
		});
	}

	/** Leaves the hub's channels; the backplane itself stays open. */
	@Override
	public void close() {
		// the backplane is usually closed right after: failures of these commands are expected
		this.closed = true;
		this.backplane.unsubscribe(this.channels.all()).subscribe(null, (ex) -> {
		});
		this.backplane.unsubscribe(this.channels.ack()).subscribe(null, (ex) -> {
		});
		this.backplane.unsubscribe(this.channels.returnResults()).subscribe(null, (ex) -> {
		});
		for (HubConnectionContext connection : List.copyOf(this.connections.connections())) {
			onDisconnected(connection);
		}
	}

}
