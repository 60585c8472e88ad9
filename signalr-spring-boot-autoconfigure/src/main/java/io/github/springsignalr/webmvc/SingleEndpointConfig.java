package io.github.springsignalr.webmvc;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configuration of one programmatic WebSocket upgrade: the container gets the endpoint instance
 * already made for this request, and accepts any {@code Origin}, since every caller checks it (or leaves
 * it to the node that owns the connection) before it upgrades.
 */
final class SingleEndpointConfig {

	private SingleEndpointConfig() {
	}

	static <E extends Endpoint> ServerEndpointConfig of(Class<E> type, E endpoint, String path) {
		return ServerEndpointConfig.Builder.create(type, path).configurator(new ServerEndpointConfig.Configurator() {
			@Override
			public <T> T getEndpointInstance(Class<T> requested) {
				return requested.cast(endpoint);
			}

			@Override
			public boolean checkOrigin(String origin) {
				return true;
			}
		}).build();
	}

}
