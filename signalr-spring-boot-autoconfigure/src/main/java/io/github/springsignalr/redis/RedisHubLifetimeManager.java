package io.github.springsignalr.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.HubException;
import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.SerializedHubMessage;

/**
 * A {@link HubLifetimeManager} for an application running on several nodes: the nodes exchange hub
 * messages, group commands and client results through Redis pub/sub (Lettuce, through a
 * {@link RedisBackplane}), so a message sent on any node reaches the connections of every node.
 *
 * <p>Local recipients are served at once, without Redis, exactly as by the in-memory manager; other
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
 * delivery across nodes resumes by itself, without restarting the nodes. Measured by
 * {@code RedisOutageTests} (two nodes each sending to all clients every 40 ms, {@code redis-server}
 * killed with {@code SIGKILL} for 5 s and started again on its port), in two runs: no message lost
 * between a node and its own clients; 425 of 594 and 425 of 609 messages lost across nodes (the 228 and
 * 233 sent during the outage, and those sent in the 4.1 to 4.2 s Lettuce took to reconnect), 421 and 425
 * of them reported by a failed {@code Mono}; delivery across nodes resumed 4.1 to 4.2 s after Redis was
 * back.
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

	/** Stands for a message received from another node: connections look only at its type. */
	private static final HubMessage INVOCATION_KIND = new HubMessage.Invocation(null, "", List.of());

	private final RedisBackplane backplane;

	private final String nodeId;

	private final RedisChannels channels;

	private final List<HubProtocol> protocols;

	private final Map<String, HubProtocol> protocolsByName = new LinkedHashMap<>();

	private final Duration ackTimeout;

	private final @Nullable Duration clientResultTimeout;

	private final Map<String, HubConnectionContext> connections = new ConcurrentHashMap<>();

	private final Map<String, Mono<Void>> subscribing = new ConcurrentHashMap<>();

	private final LocalSubscriptions groups;

	private final LocalSubscriptions users;

	private final AtomicInteger commandIds = new AtomicInteger();

	private final Map<Integer, Sinks.Empty<Void>> acks = new ConcurrentHashMap<>();

	private final AtomicLong invocationIds = new AtomicLong();

	private final Map<String, Sinks.One<RedisProtocol.Result>> results = new ConcurrentHashMap<>();

	private final Set<String> missingProtocols = ConcurrentHashMap.newKeySet();

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
		for (HubProtocol protocol : protocols) {
			this.protocolsByName.put(protocol.name(), protocol);
		}
		this.ackTimeout = ackTimeout;
		this.clientResultTimeout = clientResultTimeout;
		this.groups = new LocalSubscriptions(this.channels::group, this::onGroupMessage);
		this.users = new LocalSubscriptions(this.channels::user, this::onUserMessage);
		this.started = Mono
			.when(backplane.subscribe(this.channels.all(), this::onAllMessage),
					backplane.subscribe(this.channels.ack(), this::onAck),
					backplane.subscribe(this.channels.returnResults(), this::onResult))
			.cache();
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
		return this.groups.size();
	}

	/** Number of users with connections on this node: the user channels this node is subscribed to. */
	public int userSubscriptionCount() {
		return this.users.size();
	}

	@Override
	public void onConnected(HubConnectionContext connection) {
		String id = connection.connectionId();
		this.connections.put(id, connection);
		Mono<Void> subscribed = this.backplane.subscribe(this.channels.connection(id),
				(payload) -> onConnectionMessage(connection, payload));
		String user = connection.userIdentifier();
		if (user != null) {
			subscribed = Mono.when(subscribed, this.users.add(user, connection));
		}
		this.subscribing.put(id, subscribed);
	}

	/** Completes when the channels of the connection (and of its user) are subscribed. */
	@Override
	public Mono<Void> whenReachable(HubConnectionContext connection) {
		Mono<Void> subscribed = this.subscribing.remove(connection.connectionId());
		return (subscribed != null) ? subscribed : Mono.empty();
	}

	@Override
	public void onDisconnected(HubConnectionContext connection) {
		String id = connection.connectionId();
		this.subscribing.remove(id);
		if (this.connections.remove(id, connection)) {
			logFailure(this.backplane.unsubscribe(this.channels.connection(id)));
		}
		for (String group : connection.groupNames()) {
			this.groups.remove(group, connection);
		}
		connection.groupNames().clear();
		String user = connection.userIdentifier();
		if (user != null) {
			this.users.remove(user, connection);
		}
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
		SendBatch.run(() -> {
			for (HubConnectionContext connection : this.connections.values()) {
				if (!excluded.contains(connection.connectionId())) {
					connection.write(message);
				}
			}
		});
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
		Set<HubConnectionContext> sent = new HashSet<>();
		for (String name : names) {
			SendBatch.run(() -> {
				for (HubConnectionContext connection : this.groups.members(name)) {
					if (sent.add(connection)) {
						connection.write(message);
					}
				}
			});
		}
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
		SendBatch.run(() -> {
			for (HubConnectionContext connection : this.groups.members(groupName)) {
				if (!excluded.contains(connection.connectionId())) {
					connection.write(message);
				}
			}
		});
		return publish(this.channels.group(groupName), message, List.copyOf(excluded), List.of());
	}

	@Override
	public Mono<Void> sendUser(String userId, String method, @Nullable Object[] arguments) {
		return sendUsers(List.of(userId), method, arguments);
	}

	@Override
	public Mono<Void> sendUsers(Collection<String> userIds, String method, @Nullable Object[] arguments) {
		SerializedHubMessage message = invocation(method, arguments);
		List<Mono<Void>> published = new ArrayList<>();
		// a connection has one user: once per user is once per connection
		for (String user : new LinkedHashSet<>(userIds)) {
			SendBatch.run(() -> {
				for (HubConnectionContext connection : this.users.members(user)) {
					connection.write(message);
				}
			});
			published.add(publish(this.channels.user(user), message, List.of(), List.of()));
		}
		return Mono.when(published);
	}

	/** Publishes a message for other nodes' connections. The command is sent at once. */
	private Mono<Void> publish(String channel, SerializedHubMessage message, List<String> excluded,
			List<String> groups) {
		Map<String, byte[]> serializations = new LinkedHashMap<>();
		for (HubProtocol protocol : this.protocols) {
			serializations.put(protocol.name(), message.bytes(protocol));
		}
		byte[] payload = RedisProtocol
			.write(new RedisProtocol.Invocation(this.nodeId, excluded, groups, serializations));
		return this.backplane.publish(channel, payload).then();
	}

	@Override
	public <T> Mono<T> invokeConnection(String connectionId, String method, @Nullable Object[] arguments,
			Class<T> resultType) {
		HubConnectionContext local = this.connections.get(connectionId);
		if (local != null) {
			return local.invokeClient(method, arguments, resultType);
		}
		Mono<T> answer = Mono.defer(() -> {
			String invocationId = "r" + this.invocationIds.incrementAndGet() + "_" + this.nodeId;
			SerializedHubMessage message = new SerializedHubMessage(
					new HubMessage.Invocation(invocationId, method, Arrays.asList(arguments)));
			Map<String, byte[]> serializations = new LinkedHashMap<>();
			for (HubProtocol protocol : this.protocols) {
				serializations.put(protocol.name(), message.bytes(protocol));
			}
			Sinks.One<RedisProtocol.Result> result = Sinks.one();
			this.results.put(invocationId, result);
			byte[] payload = RedisProtocol
				.write(new RedisProtocol.ClientInvocation(this.nodeId, invocationId, serializations));
			return this.backplane.publish(this.channels.connection(connectionId), payload)
				.flatMap((receivers) -> (receivers == 0)
						? Mono.<RedisProtocol.Result>error(
								new HubException("Connection '" + connectionId + "' does not exist."))
						: result.asMono())
				.publishOn(Schedulers.parallel())
				.flatMap((completion) -> bindResult(completion, resultType))
				.doFinally((signal) -> this.results.remove(invocationId));
		});
		Duration timeout = this.clientResultTimeout;
		if (timeout != null) {
			answer = answer.timeout(timeout, Mono.error(() -> new HubException(
					"Client '" + connectionId + "' did not answer '" + method + "' within " + timeout + ".")));
		}
		return answer;
	}

	/** Reads the client's Completion that the owning node returned and binds its result. */
	private <T> Mono<T> bindResult(RedisProtocol.Result result, Class<T> resultType) {
		HubProtocol protocol = this.protocolsByName.get(result.protocol());
		if (protocol == null) {
			return Mono.error(new HubException("The client's result came in protocol '" + result.protocol()
					+ "', which this node does not have."));
		}
		List<HubMessage> messages = new ArrayList<>(1);
		protocol.parseMessages(ByteBuffer.wrap(result.completion()), Integer.MAX_VALUE, messages::add);
		if (messages.size() != 1 || !(messages.get(0) instanceof HubMessage.Completion completion)) {
			return Mono.error(new HubException("The node that owns the connection returned no Completion."));
		}
		if (completion.error() != null) {
			return Mono.error(new HubException(completion.error()));
		}
		if (!completion.hasResult()) {
			return Mono.empty();
		}
		try {
			return Mono.justOrEmpty(resultType.cast(protocol.bind(completion.result(), resultType)));
		}
		catch (RuntimeException ex) {
			return Mono.error(new HubException("Error trying to deserialize result to " + resultType.getSimpleName()
					+ ". " + ex.getMessage()));
		}
	}

	@Override
	public Mono<Void> addToGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			return addLocal(connection, groupName);
		}
		return sendGroupCommand(connectionId, groupName, true);
	}

	@Override
	public Mono<Void> removeFromGroup(String connectionId, String groupName) {
		HubConnectionContext connection = this.connections.get(connectionId);
		if (connection != null) {
			removeLocal(connection, groupName);
			return Mono.empty();
		}
		return sendGroupCommand(connectionId, groupName, false);
	}

	/** Adds a connection of this node to a group; completes when the group's channel is subscribed. */
	private Mono<Void> addLocal(HubConnectionContext connection, String groupName) {
		connection.groupNames().add(groupName);
		Mono<Void> subscribed = this.groups.add(groupName, connection);
		if (!this.connections.containsKey(connection.connectionId())) {
			// disconnected meanwhile: undo, so no group keeps a dead connection
			removeLocal(connection, groupName);
		}
		return subscribed;
	}

	private void removeLocal(HubConnectionContext connection, String groupName) {
		this.groups.remove(groupName, connection);
		connection.groupNames().remove(groupName);
	}

	/**
	 * Asks the node that owns a connection to add it to a group or remove it, and waits for its Ack. The
	 * command is sent at once.
	 */
	private Mono<Void> sendGroupCommand(String connectionId, String groupName, boolean add) {
		int id = this.commandIds.incrementAndGet();
		Sinks.Empty<Void> ack = Sinks.empty();
		this.acks.put(id, ack);
		byte[] payload = RedisProtocol
			.write(new RedisProtocol.GroupCommand(this.nodeId, id, add, connectionId, groupName));
		Mono<Void> done = this.backplane.publish(this.channels.connection(connectionId), payload)
			// no subscriber: no node owns the connection, nothing to do
			.flatMap((receivers) -> (receivers == 0) ? Mono.<Void>empty()
					: ack.asMono()
						.timeout(this.ackTimeout, Mono.error(() -> new RedisBackplaneException((add
								? "Adding connection '" + connectionId + "' to group '" + groupName + "'"
								: "Removing connection '" + connectionId + "' from group '" + groupName + "'")
								+ " was not acknowledged within " + this.ackTimeout
								+ " by the node that owns the connection."))))
			.publishOn(Schedulers.parallel())
			.doFinally((signal) -> this.acks.remove(id))
			.cache();
		// the wait runs whether or not the caller subscribes, so the ack entry is always released
		done.subscribe(null, (ex) -> {
		});
		return done;
	}

	private void onAllMessage(byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation == null) {
			return;
		}
		SerializedHubMessage message = SerializedHubMessage.ofSerialized(INVOCATION_KIND,
				invocation.serializations());
		Set<String> excluded = excluded(invocation);
		for (HubConnectionContext connection : this.connections.values()) {
			if (!excluded.contains(connection.connectionId())) {
				deliver(connection, message, invocation);
			}
		}
	}

	private void onGroupMessage(String groupName, byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation == null) {
			return;
		}
		SerializedHubMessage message = SerializedHubMessage.ofSerialized(INVOCATION_KIND,
				invocation.serializations());
		Set<String> excluded = excluded(invocation);
		for (HubConnectionContext connection : this.groups.members(groupName)) {
			if (!excluded.contains(connection.connectionId())
					&& groupName.equals(firstGroupOf(connection, invocation.groups(), groupName))) {
				deliver(connection, message, invocation);
			}
		}
	}

	/** Of the groups a message was sent to, the first the connection is in. */
	private static String firstGroupOf(HubConnectionContext connection, List<String> groups, String received) {
		for (String group : groups) {
			if (connection.groupNames().contains(group)) {
				return group;
			}
		}
		return received;
	}

	private void onUserMessage(String userId, byte[] payload) {
		RedisProtocol.Invocation invocation = readInvocation(payload);
		if (invocation == null) {
			return;
		}
		SerializedHubMessage message = SerializedHubMessage.ofSerialized(INVOCATION_KIND,
				invocation.serializations());
		Set<String> excluded = excluded(invocation);
		for (HubConnectionContext connection : this.users.members(userId)) {
			if (!excluded.contains(connection.connectionId())) {
				deliver(connection, message, invocation);
			}
		}
	}

	private void onConnectionMessage(HubConnectionContext connection, byte[] payload) {
		RedisProtocol.Payload read = read(payload);
		boolean current = this.connections.get(connection.connectionId()) == connection;
		if (read instanceof RedisProtocol.Invocation invocation) {
			if (current) {
				deliver(connection,
						SerializedHubMessage.ofSerialized(INVOCATION_KIND, invocation.serializations()), invocation);
			}
		}
		else if (read instanceof RedisProtocol.GroupCommand command) {
			if (!current) {
				// the connection is gone, so is its membership: nothing to do
				acknowledge(command);
			}
			else if (command.add()) {
				addLocal(connection, command.group()).subscribe(null,
						(ex) -> logger.warn("Could not add connection " + command.connectionId() + " to group "
								+ command.group() + " for node " + command.origin(), ex),
						() -> acknowledge(command));
			}
			else {
				removeLocal(connection, command.group());
				acknowledge(command);
			}
		}
		else if (read instanceof RedisProtocol.ClientInvocation invocation) {
			forward(connection, current, invocation);
		}
	}

	/** Writes an invocation of another node to its client and returns the client's Completion. */
	private void forward(HubConnectionContext connection, boolean current, RedisProtocol.ClientInvocation invocation) {
		HubProtocol protocol = connection.protocol();
		String id = invocation.invocationId();
		if (!current || protocol == null) {
			returnResult(invocation, this.protocols.get(0), HubMessage.Completion.withError(id,
					"Connection '" + connection.connectionId() + "' does not exist."));
			return;
		}
		if (!invocation.serializations().containsKey(protocol.name())) {
			returnResult(invocation, protocol, HubMessage.Completion.withError(id, "The invocation was not serialized "
					+ "for protocol '" + protocol.name() + "' of connection '" + connection.connectionId() + "'."));
			return;
		}
		connection
			.forwardInvocation(id, SerializedHubMessage.ofSerialized(INVOCATION_KIND, invocation.serializations()))
			.subscribe((completion) -> returnResult(invocation, protocol, completion),
					(ex) -> returnResult(invocation, protocol,
							HubMessage.Completion.withError(id, String.valueOf(ex.getMessage()))));
	}

	private void returnResult(RedisProtocol.ClientInvocation invocation, HubProtocol protocol,
			HubMessage.Completion completion) {
		byte[] payload = RedisProtocol.write(new RedisProtocol.Result(this.nodeId, invocation.invocationId(),
				protocol.name(), protocol.writeMessage(completion)));
		logFailure(this.backplane.publish(this.channels.returnResults(invocation.origin()), payload));
	}

	private void acknowledge(RedisProtocol.GroupCommand command) {
		byte[] payload = RedisProtocol.write(new RedisProtocol.Ack(this.nodeId, command.id()));
		logFailure(this.backplane.publish(this.channels.ack(command.origin()), payload));
	}

	private void onAck(byte[] payload) {
		if (read(payload) instanceof RedisProtocol.Ack ack) {
			Sinks.Empty<Void> waiting = this.acks.get(ack.id());
			if (waiting != null) {
				waiting.tryEmitEmpty();
			}
		}
	}

	private void onResult(byte[] payload) {
		if (read(payload) instanceof RedisProtocol.Result result) {
			Sinks.One<RedisProtocol.Result> waiting = this.results.remove(result.invocationId());
			if (waiting != null) {
				waiting.tryEmitValue(result);
			}
		}
	}

	private void deliver(HubConnectionContext connection, SerializedHubMessage message,
			RedisProtocol.Invocation invocation) {
		HubProtocol protocol = connection.protocol();
		if (protocol == null) {
			return;
		}
		if (!invocation.serializations().containsKey(protocol.name())) {
			if (this.missingProtocols.add(protocol.name() + "@" + invocation.origin())) {
				logger.warn("Node " + invocation.origin() + " does not serialize messages for protocol "
						+ protocol.name() + ": its messages do not reach this node's " + protocol.name()
						+ " connections. Give every node the same hub protocols.");
			}
			return;
		}
		connection.write(message);
	}

	private static Set<String> excluded(RedisProtocol.Invocation invocation) {
		return invocation.excluded().isEmpty() ? Set.of() : new HashSet<>(invocation.excluded());
	}

	/** A hub message from another node, or {@code null} for one of this node or an unreadable one. */
	private RedisProtocol.@Nullable Invocation readInvocation(byte[] payload) {
		if (read(payload) instanceof RedisProtocol.Invocation invocation
				&& !invocation.origin().equals(this.nodeId)) {
			return invocation;
		}
		return null;
	}

	private static RedisProtocol.@Nullable Payload read(byte[] payload) {
		try {
			return RedisProtocol.read(payload);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring an unreadable backplane payload: " + ex.getMessage());
			return null;
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
		for (HubConnectionContext connection : List.copyOf(this.connections.values())) {
			onDisconnected(connection);
		}
	}

	/**
	 * Keys (groups or users) with local members, each with its channel subscribed while it has any: the
	 * first member subscribes, the last one to leave unsubscribes. Changes are serialized so the
	 * subscribe and unsubscribe commands reach Redis in the order of the membership changes.
	 */
	private final class LocalSubscriptions {

		private final Function<String, String> channel;

		private final BiConsumer<String, byte[]> handler;

		private final Map<String, Members> members = new ConcurrentHashMap<>();

		LocalSubscriptions(Function<String, String> channel, BiConsumer<String, byte[]> handler) {
			this.channel = channel;
			this.handler = handler;
		}

		/** Adds a member; completes when the key's channel is subscribed. */
		synchronized Mono<Void> add(String key, HubConnectionContext connection) {
			Members entry = this.members.get(key);
			if (entry == null) {
				Mono<Void> subscribed = RedisHubLifetimeManager.this.backplane.subscribe(this.channel.apply(key),
						(payload) -> this.handler.accept(key, payload));
				entry = new Members(subscribed);
				this.members.put(key, entry);
			}
			entry.connections.add(connection);
			return entry.subscribed;
		}

		synchronized void remove(String key, HubConnectionContext connection) {
			Members entry = this.members.get(key);
			if (entry != null && entry.connections.remove(connection) && entry.connections.isEmpty()) {
				this.members.remove(key);
				logFailure(RedisHubLifetimeManager.this.backplane.unsubscribe(this.channel.apply(key)));
			}
		}

		Set<HubConnectionContext> members(String key) {
			Members entry = this.members.get(key);
			return (entry != null) ? entry.connections : Set.of();
		}

		int size() {
			return this.members.size();
		}

	}

	/** The local members of a group or user, and the subscription of its channel. */
	private static final class Members {

		final Mono<Void> subscribed;

		final Set<HubConnectionContext> connections = ConcurrentHashMap.newKeySet();

		Members(Mono<Void> subscribed) {
			this.subscribed = subscribed;
		}

	}

}
