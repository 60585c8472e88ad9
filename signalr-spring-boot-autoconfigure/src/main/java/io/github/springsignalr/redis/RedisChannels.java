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

	/** Client results for invocations made by the given node. */
	String returnResults(String nodeId) {
		return this.hub + ":internal:return:" + nodeId;
	}
}
