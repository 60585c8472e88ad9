package io.github.springsignalr.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.Disposable;

import io.github.springsignalr.HubException;

/**
 * The streams of one connection: server-to-client streams running, by invocation id, and
 * client-to-server streams open, by stream id. Created on a connection's first stream (most never
 * have one).
 */
final class StreamRegistry {

	private final Map<String, Disposable> serverStreams = new ConcurrentHashMap<>();

	private final Map<String, ClientStream> clientStreams = new ConcurrentHashMap<>();

	Map<String, Disposable> serverStreams() {
		return this.serverStreams;
	}

	Map<String, ClientStream> clientStreams() {
		return this.clientStreams;
	}

	/** Disposes the server-to-client streams and ends the client-to-server ones: the connection is gone. */
	void endAll(HubException disconnected) {
		this.serverStreams.values().forEach(Disposable::dispose);
		this.serverStreams.clear();
		for (ClientStream stream : this.clientStreams.values()) {
			stream.complete(disconnected);
		}
		this.clientStreams.clear();
	}
}
