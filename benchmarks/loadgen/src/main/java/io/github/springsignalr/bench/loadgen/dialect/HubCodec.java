package io.github.springsignalr.bench.loadgen.dialect;

import org.jspecify.annotations.Nullable;

import io.netty.buffer.ByteBuf;

/** The SignalR hub protocol (JSON or MessagePack) reduced to what the benchmark hub needs. */
public interface HubCodec {

	/** The handshake's protocol name. */
	String protocol();

	/** Whether messages travel in text frames. */
	boolean text();

	/**
	 * Appends an invocation message; {@code args} are {@link String}s and {@link Long}s, the strings plain
	 * ASCII without quotes or backslashes.
	 */
	void writeInvocation(ByteBuf out, @Nullable String invocationId, String target, Object... args);

	/** Reads every message in {@code bytes[from, to)}. */
	void read(byte[] bytes, int from, int to, Receiver receiver);

	/** What the load generator wants to know of received messages. */
	interface Receiver {

		/** An invocation whose first argument is {@code t}. */
		void invocation(long t);

		/** A completion of {@code invocationId}, with its error or null. */
		void completion(String invocationId, @Nullable String error);

		/** A Close message. */
		void close(@Nullable String error);
	}

	/** The JSON hub protocol: records ended by 0x1E. */
	HubCodec JSON = new JsonHubCodec();

	/** The MessagePack hub protocol: varint-length-prefixed arrays. */
	HubCodec MESSAGEPACK = new MessagePackHubCodec();
}
