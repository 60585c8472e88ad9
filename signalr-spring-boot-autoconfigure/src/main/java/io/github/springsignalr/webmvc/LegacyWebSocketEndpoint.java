package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.github.springsignalr.TransportType;
import io.github.springsignalr.legacy.LegacyConnection;
import io.github.springsignalr.legacy.LegacyFraming;
import io.github.springsignalr.legacy.LegacyOptions;
import io.github.springsignalr.legacy.LegacyParameters;
import io.github.springsignalr.legacy.LegacyTransport;

/**
 * The classic webSockets transport on the servlet container's Jakarta WebSocket implementation: one text
 * frame per JSON object each way, sent one at a time. Frames that are not hub invocations (keep-alive
 * {@code {}} pings of some clients, junk) are ignored without closing the socket; a frame over 64 KiB
 * closes it. A closed socket leaves the connection to its disconnect timeout.
 * <p>
 * Public only because Jetty's Jakarta WebSocket container upgrades to public endpoint classes alone; it is
 * created by the classic request handler and has no API of its own.
 */
public final class LegacyWebSocketEndpoint extends Endpoint implements LegacyTransport, SendHandler {

	private static final Log logger = LogFactory.getLog(LegacyWebSocketEndpoint.class);

	private final LegacyConnection connection;

	private final @Nullable String messageId;

	private final boolean reconnect;

	private final Mono<Void> connected;

	private final LegacyOptions options;

	private final Executor writes;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	// under the lock:
	private boolean released;

	private boolean sending;

	private boolean ending;

	private boolean closed;

	private volatile @Nullable Session session;

	private volatile @Nullable Disposable timer;

	private LegacyWebSocketEndpoint(LegacyConnection connection, @Nullable String messageId, boolean reconnect,
			Mono<Void> connected, LegacyOptions options, Executor writes) {
		this.connection = connection;
		this.messageId = messageId;
		this.reconnect = reconnect;
		this.connected = connected;
		this.options = options;
		this.writes = writes;
	}

	/** Upgrades the request; the socket attaches to the connection once it is open. */
	static void upgrade(LegacyServletRequest request, LegacyConnection connection, boolean reconnect,
			Mono<Void> connected, LegacyOptions options, Executor writes) throws IOException {
		HttpServletRequest servletRequest = request.request();
		HttpServletResponse response = request.response();
		Object container = servletRequest.getServletContext().getAttribute(ServerContainer.class.getName());
		if (!(container instanceof ServerContainer server)) {
			request.text(400, "Not a valid web socket request.");
			return;
		}
		LegacyWebSocketEndpoint socket = new LegacyWebSocketEndpoint(connection, request.query("messageId"), reconnect,
				connected, options, writes);
		// the Origin was checked by the handler mapping, with the application's CORS settings
		ServerEndpointConfig config = SingleEndpointConfig.of(LegacyWebSocketEndpoint.class, socket,
				servletRequest.getRequestURI());
		try {
			server.upgradeHttpToWebSocket(servletRequest, response, config, Map.of());
		}
		catch (jakarta.websocket.DeploymentException | RuntimeException ex) {
			logger.warn("WebSocket upgrade of " + servletRequest.getRequestURI() + " failed", ex);
			throw new IOException("WebSocket upgrade failed", ex);
		}
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		this.session = session;
		session.setMaxTextMessageBufferSize(LegacyParameters.MAX_DATA);
		session.setMaxBinaryMessageBufferSize(LegacyParameters.MAX_DATA);
		session.setMaxIdleTimeout(0);
		session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::received);
		this.connection.attach(this, TransportType.WEB_SOCKETS, this.messageId, this.reconnect);
		this.connected.subscribe(null, (ex) -> {
			logger.debug("A connection event of a classic connection failed", ex);
			release();
		}, this::release);
	}

	/** A frame from the client: run by the connection, its result back on the socket. */
	private void received(String data) {
		this.connection.receive(data)
			.subscribe((result) -> write(LegacyFraming.utf8(result)),
					(ex) -> logger.debug("A frame of classic connection " + this.connection.id() + " failed", ex));
	}

	/** The connection events ran: what is queued goes out, and the keep-alives (or the ConnectionTimeout) begin. */
	private void release() {
		Duration keepAlive = this.options.keepAlive();
		this.timer = (keepAlive != null)
				? Schedulers.parallel()
					.schedulePeriodically(() -> write(LegacyFraming.KEEP_ALIVE), keepAlive.toMillis(), keepAlive.toMillis(),
							TimeUnit.MILLISECONDS)
				: Schedulers.parallel()
					.schedule(this::end, this.options.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
		synchronized (this) {
			this.released = true;
			if (this.closed) {
				cancelTimer();
			}
		}
		sendNextSoon();
	}

	@Override
	public boolean write(byte[] json) {
		synchronized (this) {
			if (this.ending || this.closed) {
				return false;
			}
			this.queue.add(json);
		}
		sendNextSoon();
		return true;
	}

	@Override
	public void end() {
		synchronized (this) {
			this.ending = true;
		}
		sendNextSoon();
	}

	private void sendNextSoon() {
		synchronized (this) {
			if (!this.released || this.sending || this.closed) {
				return;
			}
			this.sending = true;
		}
		this.writes.execute(this::sendNext);
	}

	/** Sends the next frame, or closes the socket once the connection ended it and nothing is left. */
	private void sendNext() {
		byte[] frame;
		synchronized (this) {
			frame = this.queue.poll();
			if (frame == null) {
				this.sending = false;
				if (!this.ending || this.closed) {
					return;
				}
			}
		}
		Session session = this.session;
		if (frame == null || session == null) {
			close();
			return;
		}
		try {
			session.getAsyncRemote().sendText(new String(frame, StandardCharsets.UTF_8), this);
		}
		catch (RuntimeException ex) {
			onResult(new SendResult(session, ex));
		}
	}

	/** The frame in flight was sent (or failed): the next one goes, on the write executor. */
	@Override
	public void onResult(SendResult result) {
		if (!result.isOK()) {
			logger.debug("WebSocket send of classic connection " + this.connection.id() + " failed",
					result.getException());
			close();
			return;
		}
		this.writes.execute(this::sendNext);
	}

	private void close() {
		Session session = this.session;
		synchronized (this) {
			this.closed = true;
			this.queue.clear();
		}
		cancelTimer();
		if (session != null && session.isOpen()) {
			try {
				session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Close of the WebSocket of classic connection " + this.connection.id() + " failed", ex);
			}
		}
	}

	private void cancelTimer() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
		}
	}

	@Override
	public void onClose(Session session, CloseReason reason) {
		synchronized (this) {
			this.closed = true;
			this.queue.clear();
		}
		cancelTimer();
		this.connection.detach(this);
	}

	@Override
	public void onError(Session session, Throwable error) {
		logger.debug("WebSocket of classic connection " + this.connection.id() + " failed", error);
	}

	@Override
	public String toString() {
		return "LegacyWebSocketEndpoint[" + this.connection.id() + "]";
	}
}
