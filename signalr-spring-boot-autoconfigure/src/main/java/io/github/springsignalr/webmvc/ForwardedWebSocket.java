package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import io.github.springsignalr.cluster.RequestForwarding;

/**
 * A client's WebSocket relayed to the node that owns its connection: the client's side is a Jakarta
 * WebSocket of this servlet container, the owner's side a WebSocket of the JDK's HTTP client. Text and
 * binary messages go both ways as they come (fragment by fragment), each side reading its next message
 * once the previous one was handed to the other; a close on either side closes the other with the same
 * status.
 * <p>
 * Public only because Jetty's Jakarta WebSocket container upgrades to public endpoint classes alone; it is
 * created by {@link RequestForwardingServletFilter} and has no API of its own.
 */
public final class ForwardedWebSocket extends Endpoint implements WebSocket.Listener {

	private static final Log logger = LogFactory.getLog(RequestForwardingServletFilter.class);

	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

	private final String logged;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable WebSocket owner;

	private volatile @Nullable Session client;

	private ForwardedWebSocket(String logged) {
		this.logged = logged;
	}

	/**
	 * Opens the owner's side, then accepts the client's upgrade; when the owner refuses, the client gets
	 * its status (404 {@code No Connection with that ID} for an unknown token or an unreachable owner).
	 */
	static void relay(HttpClient http, HttpServletRequest request, HttpServletResponse response, URI target,
			String localNodeId) throws IOException {
		Object container = request.getServletContext().getAttribute(ServerContainer.class.getName());
		if (!(container instanceof ServerContainer server)) {
			RequestForwardingServletFilter.answer(response, 501, "");
			return;
		}
		ForwardedWebSocket socket = new ForwardedWebSocket(RequestForwardingServletFilter.logged(request));
		WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
		for (String name : Collections.list(request.getHeaderNames())) {
			if (RequestForwardingServletFilter.forwards(name, true)) {
				for (String value : Collections.list(request.getHeaders(name))) {
					try {
						builder.header(name, value);
					}
					catch (IllegalArgumentException ex) {
						// a header the JDK's client refuses to send (a restricted name): the owner does without it
					}
				}
			}
		}
		builder.header(RequestForwarding.FORWARDED_BY, localNodeId);
		WebSocket owner;
		try {
			owner = builder.buildAsync(target, socket).get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refused
					&& refused.getResponse().statusCode() != 404) {
				response.setStatus(refused.getResponse().statusCode());
				refused.getResponse().headers().firstValue(HttpHeaders.WWW_AUTHENTICATE)
					.ifPresent((challenge) -> response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge));
				response.setContentLength(0);
				return;
			}
			logger.debug("Could not forward the WebSocket of " + socket.logged + " to " + target.getRawAuthority(),
					ex.getCause());
			RequestForwardingServletFilter.answer(response, 404, RequestForwarding.NOT_FOUND);
			return;
		}
		catch (TimeoutException ex) {
			logger.debug("The owner of " + socket.logged + " did not accept its WebSocket in time", ex);
			RequestForwardingServletFilter.answer(response, 404, RequestForwarding.NOT_FOUND);
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			RequestForwardingServletFilter.answer(response, 404, RequestForwarding.NOT_FOUND);
			return;
		}
		socket.owner = owner;
		// the owner checks the Origin, as it checks every request it serves
		ServerEndpointConfig config = SingleEndpointConfig.of(ForwardedWebSocket.class, socket, request.getRequestURI());
		try {
			server.upgradeHttpToWebSocket(request, response, config, Map.of());
		}
		catch (jakarta.websocket.DeploymentException | RuntimeException ex) {
			owner.abort();
			throw new IOException("WebSocket upgrade failed", ex);
		}
		if (response.getStatus() >= 400) {
			// the container refused the client's upgrade (a malformed handshake)
			owner.abort();
		}
	}

	// the client's side (Jakarta)

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		this.client = session;
		session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (text, last) -> {
			WebSocket owner = this.owner;
			if (owner != null) {
				toOwner(owner.sendText(text, last));
			}
		});
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> {
			WebSocket owner = this.owner;
			if (owner != null) {
				ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
				toOwner(owner.sendBinary(copy, last));
			}
		});
		WebSocket owner = this.owner;
		if (owner != null) {
			// the owner's messages flow once they have somewhere to go
			owner.request(1);
		}
	}

	/** Waits for a message to be handed to the owner: the client's next is read after it. */
	private void toOwner(java.util.concurrent.CompletableFuture<WebSocket> sent) {
		try {
			sent.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeClient(1011, "");
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Relaying a message of " + this.logged + " to its owner failed", ex);
			abortOwner();
			closeClient(1011, "");
		}
	}

	@Override
	public void onClose(Session session, CloseReason reason) {
		WebSocket owner = this.owner;
		if (owner != null && this.closed.compareAndSet(false, true)) {
			int status = RequestForwarding.relayedCloseStatus(reason.getCloseCode().getCode());
			try {
				owner.sendClose(status, "").orTimeout(1, TimeUnit.SECONDS).whenComplete((done, ex) -> owner.abort());
			}
			catch (IllegalArgumentException ex) {
				owner.abort();
			}
		}
	}

	@Override
	public void onError(Session session, Throwable error) {
		logger.debug("The client's side of " + this.logged + " failed", error);
		abortOwner();
	}

	// the owner's side (JDK)

	@Override
	public void onOpen(WebSocket webSocket) {
		this.owner = webSocket;
		// no request yet: the owner's messages wait for the client's side to open
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		Session client = this.client;
		try {
			if (client != null) {
				client.getBasicRemote().sendText(data.toString(), last);
			}
			webSocket.request(1);
		}
		catch (IOException | RuntimeException ex) {
			clientFailed(ex);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		Session client = this.client;
		try {
			if (client != null) {
				client.getBasicRemote().sendBinary(data, last);
			}
			webSocket.request(1);
		}
		catch (IOException | RuntimeException ex) {
			clientFailed(ex);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			closeClient(RequestForwarding.relayedCloseStatus(statusCode), reason);
		}
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		logger.debug("The owner's side of " + this.logged + " failed", error);
		if (this.closed.compareAndSet(false, true)) {
			closeClient(1011, "");
		}
	}

	private void clientFailed(Exception ex) {
		logger.debug("Relaying a message of " + this.logged + " to its client failed", ex);
		abortOwner();
	}

	private void abortOwner() {
		this.closed.set(true);
		WebSocket owner = this.owner;
		if (owner != null) {
			owner.abort();
		}
	}

	private void closeClient(int status, String reason) {
		Session client = this.client;
		if (client == null || !client.isOpen()) {
			return;
		}
		try {
			client.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(status), reason));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Closing the client's side of " + this.logged + " failed", ex);
		}
	}
}
