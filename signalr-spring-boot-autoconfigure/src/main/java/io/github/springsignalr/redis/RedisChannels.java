package io.github.springsignalr.redis;

/**
 * The names of the Redis channels of one hub, laid out as ASP.NET Core's Redis backplane lays them out:
 * {@code <prefix><hub>:all}, {@code :connection:<id>}, {@code :group:<name>}, {@code :user:<id>},
 * {@code :internal:ack:<node>} and {@code :internal:return:<node>}.
 */
final class RedisChannels {

	private final String hub;

	private final String all;

	private final String ack;

	private final String returnResults;

	/**
	 * @param channelPrefix prefix of every channel (may be empty)
	 * @param hubKey what names the hub in its channels: its class name
	 * @param nodeId the id of this node
	 */
	RedisChannels(String channelPrefix, String hubKey, String nodeId) {
		this.hub = channelPrefix + hubKey;
		this.all = this.hub + ":all";
		this.ack = ack(nodeId);
		this.returnResults = returnResults(nodeId);
	}

	/** The hub's channels start with this. */
	String hub() {
		return this.hub;
	}

	/** Messages to every connection of the hub. */
	String all() {
		return this.all;
	}

	/** Messages, group commands and client-result invocations for one connection. */
	String connection(String connectionId) {
		return this.hub + ":connection:" + connectionId;
	}

	/** Messages to the members of a group. */
	String group(String groupName) {
		return this.hub + ":group:" + groupName;
	}

	/** Messages to every connection of a user. */
	String user(String userId) {
		return this.hub + ":user:" + userId;
	}

	/** Acknowledgements of group commands sent by this node. */
	String ack() {
		return this.ack;
	}

	/** Acknowledgements of group commands sent by the given node. */
	String ack(String nodeId) {
		return this.hub + ":internal:ack:" + nodeId;
	}

	/** Client results for invocations made by this node. */
	String returnResults() {
		return this.returnResults;
	}

	/**
	 * The kind of a channel, for metrics (never its name): {@code all}, {@code connection}, {@code group},
	 * {@code user}, {@code ack}, {@code return}, {@code internal} (other node-wide channels) or
	 * {@code other}. The kind is the first marker after the prefix and hub, which contain none.
	 */
	static String type(String channel) {
		int colon = channel.indexOf(':');
		while (colon >= 0) {
			String type = typeAt(channel, colon + 1);
			if (type != null) {
				return type;
			}
			colon = channel.indexOf(':', colon + 1);
		}
		return "other";
	}

	private static @org.jspecify.annotations.Nullable String typeAt(String channel, int start) {
		if (channel.startsWith("all", start) && channel.length() == start + 3) {
			return "all";
		}
		if (channel.startsWith("connection:", start)) {
			return "connection";
		}
		if (channel.startsWith("group:", start)) {
			return "group";
		}
		if (channel.startsWith("user:", start)) {
			return "user";
		}
		if (channel.startsWith("internal:ack:", start)) {
			return "ack";
		}
		if (channel.startsWith("internal:return:", start)) {
			return "return";
		}
		if (channel.startsWith("internal:", start)) {
			return "internal";
		}
		return null;
	}

	/** Client results for invocations made by the given node. */
	String returnResults(String nodeId) {
		return this.hub + ":internal:return:" + nodeId;
	}
}
