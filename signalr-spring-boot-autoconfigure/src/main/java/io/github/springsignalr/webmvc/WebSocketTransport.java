package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.github.springsignalr.connection.HttpConnection;

/**
 * The WebSocket transport on the servlet container's Jakarta WebSocket implementation (Tomcat's, Jetty's):
 * the request is upgraded on the hub's own path, frames from the client go to the endpoint's handler one
 * at a time, the connection's outbound queue goes out in text or binary frames, and the socket closes
 * with 1000 (1011 when the connection ended with an error).
 */
public final class WebSocketTransport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private final int maxMessageSize;

	private final Executor writes;

	/**
	 * @param maxMessageSize largest WebSocket message accepted, in bytes
	 * @param writes where frames are handed to the container, off the threads that send
	 */
	public WebSocketTransport(int maxMessageSize, Executor writes) {
		this.maxMessageSize = maxMessageSize;
		this.writes = writes;
	}

	void handle(HttpServletRequest request, HttpServletResponse response, HttpConnection connection)
			throws IOException {
		Object container = request.getServletContext().getAttribute(ServerContainer.class.getName());
		if (!(container instanceof ServerContainer server)) {
			logger.error("WebSocket request to " + request.getRequestURI() + " refused: the servlet container has no "
					+ "Jakarta WebSocket support (Tomcat: tomcat-embed-websocket; Jetty: the jakarta websocket "
					+ "server); add it, or leave WebSockets out of signalr.transports");
			TransportRequests.respond(response, HttpStatus.NOT_IMPLEMENTED, MediaType.TEXT_PLAIN, "");
			return;
		}
		ConnectionWebSocket socket = new ConnectionWebSocket(connection, TransportRequests.describe(request),
				TransportRequests.authenticatedUser(request), this.maxMessageSize, this.writes);
		// the Origin was checked by the request handler, with the application's CORS settings
		ServerEndpointConfig config = SingleEndpointConfig.of(ConnectionWebSocket.class, socket, request.getRequestURI());
		boolean attached = socket.attach();
		try {
			server.upgradeHttpToWebSocket(request, response, config, Map.of());
		}
		catch (jakarta.websocket.DeploymentException | RuntimeException ex) {
			if (attached) {
				socket.abandon(ex);
			}
			logger.warn("WebSocket upgrade of " + request.getRequestURI() + " failed", ex);
			throw new IOException("WebSocket upgrade failed", ex);
		}
		if (attached && response.getStatus() >= HttpStatus.BAD_REQUEST.value()) {
			// the container refused the upgrade (a malformed handshake): the socket never opens
			socket.abandon(null);
		}
	}

	/** The close code of a connection's socket: 1011 when it ended with an error, 1000 otherwise. */
	static int closeStatus(HttpConnection connection) {
		return (connection.closeCause() != null) ? 1011 : 1000;
	}
}
