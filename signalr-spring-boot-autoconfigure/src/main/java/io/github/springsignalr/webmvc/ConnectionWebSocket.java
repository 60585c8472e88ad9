package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.connection.SendBatch;
import io.github.springsignalr.protocol.TransferFormat;
import reactor.core.publisher.Mono;

/**
 * One Jakarta WebSocket of a connection, from the upgrade to the end. Each message goes to the handler on
 * the container's thread, and the next is read when the handler is done with it (the container reads no
 * further meanwhile). What the connection sends is queued and handed to the container as one frame per
 * burst, one asynchronous send at a time. How the socket ended decides the connection's fate: a Close from
 * either side ends it, a dropped socket with stateful reconnect leaves it waiting for its client.
 * <p>
 * Public only because Jetty's Jakarta WebSocket container upgrades to public endpoint classes alone; it is
 * created by {@link WebSocketTransport} and has no API of its own.
 */
public final class ConnectionWebSocket extends Endpoint implements HttpConnection.DirectOutbound, SendHandler {

	/** The transport's logger: its category and texts are the WebSocket transport's. */
	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final Mono<Void> EMPTY = Mono.empty();

	/** Tomcat's session property: how long a blocking send (the Close) may wait, in milliseconds. */
	static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** Tomcat's session property: how long a Close sent waits for the client's, in milliseconds. */
	static final String SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

	private final HttpConnection connection;

	private final ConnectionHandler handler;

	private final ConnectionRequest request;

	private final @Nullable Principal user;

	private final int maxMessageSize;

	private final Executor writes;

	private final Queue<byte[]> queue = new ArrayDeque<>();

	/** A frame is being sent, or a task is about to send one; under the lock. */
	private boolean sending;

	/** Nothing more will be sent; under the lock. */
	private boolean completed;

	/** The handler is taking a message: sends wait until it has; under the lock. */
	private boolean receiving;

	/** The socket was closed (or is closing); under the lock. */
	private boolean closed;

	/** Bytes of the frame in flight, reported as written once the container has sent it. */
	private int inFlight;

	private volatile @Nullable Session session;

	private int generation;

	/** The socket was attached to the connection; only then may its end end the connection. */
	private volatile boolean attached;

	/** The socket resumes a connection (stateful reconnect): the handler has seen it already. */
	private volatile boolean resume;

	/** A close asked for before the socket opened; under the lock. */
	private @Nullable Integer pendingClose;

	/** Done when the handler has seen the connection: messages wait for it. */
	private final CompletableFuture<Void> connected = new CompletableFuture<>();

	ConnectionWebSocket(HttpConnection connection, ConnectionRequest request, @Nullable Principal user,
			int maxMessageSize, Executor writes) {
		this.connection = connection;
		this.handler = connection.route().handler();
		this.request = request;
		this.user = user;
		this.maxMessageSize = maxMessageSize;
		this.writes = writes;
	}

	/**
	 * Attaches the socket to the connection before the upgrade is answered: once the client sees its socket
	 * open, the connection is a WebSocket one (a POST for it gets 405).
	 * @return {@code false} when the connection took no transport (it has one, or has ended)
	 */
	boolean attach() {
		Runnable abort = this::dropQueued;
		this.resume = this.connection.state() == HttpConnection.State.RECONNECTING;
		boolean attached = this.resume
				? this.connection.reattach(TransportType.WEB_SOCKETS, this.request, this.user, abort)
				: this.connection.attach(TransportType.WEB_SOCKETS, this.request, this.user, abort);
		if (attached) {
			this.generation = this.connection.generation();
			this.attached = true;
		}
		return attached;
	}

	/**
	 * Ends a connection whose socket never opened (the container refused the upgrade): the handler sees it
	 * connect and end, as for any transport that ends.
	 */
	void abandon(@Nullable Throwable error) {
		this.handler.onConnected(this.connection)
			.onErrorResume((ex) -> Mono.empty())
			.doFinally((signal) -> this.connection.transportEnded(error))
			.subscribe();
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		this.session = session;
		session.setMaxIdleTimeout(0);
		long closeTimeout = this.connection.route().options().closeTimeout().toMillis();
		// Tomcat: a Close that cannot be written within the close timeout closes the socket, and so does a
		// client that does not answer ours within it
		session.getUserProperties().put(BLOCKING_SEND_TIMEOUT, closeTimeout);
		session.getUserProperties().put(SESSION_CLOSE_TIMEOUT, closeTimeout);
		Integer closeCode;
		synchronized (this) {
			closeCode = this.pendingClose;
		}
		if (!this.attached || closeCode != null) {
			close((closeCode != null) ? closeCode : CloseReason.CloseCodes.VIOLATED_POLICY.getCode());
			return;
		}
		// small container buffers (Tomcat allocates them at the size accepted), messages put together there
		new WebSocketMessages(this.maxMessageSize, this::received).register(session);
		this.connection.socket(new AbortableSocket());
		this.connection.outbound(this);
		if (this.resume) {
			this.connected.complete(null);
		}
		else {
			this.handler.onConnected(this.connection)
				.subscribe(null, this.connected::completeExceptionally, () -> this.connected.complete(null));
		}
	}

	/**
	 * One message from the client, on the container's thread: handled before the next is read. What the
	 * handler sends while it takes the message goes out once it has taken it, as Netty flushes at the end
	 * of a read: the handshake's answer leaves after the hub has made the connection reachable.
	 */
	private void received(byte[] data) {
		try {
			this.connected.join();
			Mono<Void> handled;
			synchronized (this) {
				this.receiving = true;
			}
			try {
				handled = this.handler.onReceived(this.connection, data);
			}
			finally {
				sendWhatWasQueued();
			}
			if (handled != EMPTY) {
				handled.block();
			}
		}
		catch (RuntimeException | Error ex) {
			failed(ex);
		}
	}

	/** The handler has taken a message: what it sent meanwhile goes now. */
	private void sendWhatWasQueued() {
		boolean closeOnly;
		synchronized (this) {
			this.receiving = false;
			if (this.sending || (this.queue.isEmpty() && !this.completed)) {
				return;
			}
			this.sending = true;
			closeOnly = this.queue.isEmpty();
		}
		if (closeOnly) {
			// only the Close is left: it may wait for the client, so not on the container's thread
			this.writes.execute(this::sendQueued);
			return;
		}
		// on the container's thread, which has taken the message: an asynchronous send does not wait
		sendQueued();
	}

	private void failed(Throwable error) {
		logger.debug("WebSocket of connection " + this.connection.id() + " failed", error);
		if (!this.connection.statefulReconnect()) {
			this.connection.abort(error);
		}
		else {
			close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode());
		}
	}

	@Override
	public void onError(Session session, Throwable error) {
		logger.debug("WebSocket of connection " + this.connection.id() + " failed", error);
	}

	@Override
	public void onClose(Session session, CloseReason reason) {
		synchronized (this) {
			this.closed = true;
			this.queue.clear();
		}
		this.connected.complete(null);
		if (!this.attached || this.connection.generation() != this.generation) {
			// another WebSocket took this connection over (stateful reconnect)
			return;
		}
		boolean dropped = reason.getCloseCode().getCode() == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode();
		if (dropped && !this.connection.isClosed()) {
			// the socket dropped without a Close frame: a stateful client may come back
			this.connection.transportLost(null);
		}
		else {
			this.connection.transportEnded(null);
		}
	}

	@Override
	public void send(byte[] data) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.queue.add(data);
			if (this.sending || this.receiving) {
				return;
			}
			this.sending = true;
		}
		// during a fan-out, one task sends to every connection it reached
		if (!SendBatch.defer(this.writes, this::sendQueued)) {
			this.writes.execute(this::sendQueued);
		}
	}

	@Override
	public void complete() {
		synchronized (this) {
			this.completed = true;
			if (this.sending || this.receiving) {
				return;
			}
			this.sending = true;
		}
		this.writes.execute(this::sendQueued);
	}

	/** Sends what is queued as one frame, or closes the socket once the connection has nothing more. */
	private void sendQueued() {
		byte[] frame;
		synchronized (this) {
			if (this.queue.isEmpty() || this.closed) {
				this.sending = false;
				if (!this.completed || this.closed) {
					return;
				}
				frame = null;
			}
			else {
				frame = drain();
			}
		}
		if (frame == null) {
			close(WebSocketTransport.closeStatus(this.connection));
			return;
		}
		Session session = this.session;
		this.inFlight = frame.length;
		try {
			if (this.connection.transferFormat() == TransferFormat.BINARY) {
				session.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame), this);
			}
			else {
				session.getAsyncRemote().sendText(new String(frame, StandardCharsets.UTF_8), this);
			}
		}
		catch (RuntimeException ex) {
			onResult(new SendResult(session, ex));
		}
	}

	/** The frame in flight was sent (or failed): the next one goes, on the write executor. */
	@Override
	public void onResult(SendResult result) {
		this.connection.written(this.inFlight);
		if (!result.isOK()) {
			logger.debug("WebSocket send of connection " + this.connection.id() + " failed", result.getException());
			synchronized (this) {
				this.closed = true;
				this.queue.clear();
				this.sending = false;
			}
			this.connection.abort(result.getException());
			return;
		}
		synchronized (this) {
			if (this.queue.isEmpty() && !this.completed) {
				// nothing more to send: no task for it
				this.sending = false;
				return;
			}
		}
		this.writes.execute(this::sendQueued);
	}

	/**
	 * The connection was aborted: what is queued is dropped, and the socket closes once the frame the
	 * container is sending has gone (the close timeout aborts it if it never goes).
	 */
	private void dropQueued() {
		synchronized (this) {
			this.queue.clear();
			this.completed = true;
			if (this.sending || this.receiving) {
				return;
			}
			this.sending = true;
		}
		this.writes.execute(this::sendQueued);
	}

	/**
	 * Closes the socket without waiting for what the client does not read: Tomcat gives the Close up at
	 * once while a frame is stuck in the socket and closes the connection. Other containers close it as
	 * they close any socket.
	 */
	private void abortSocket() {
		Session session = this.session;
		if (session == null || !session.isOpen()) {
			// never opened, or a Close is being written: it gives up after the close timeout
			return;
		}
		session.getUserProperties().put(BLOCKING_SEND_TIMEOUT, 1L);
		close(WebSocketTransport.closeStatus(this.connection));
	}

	/**
	 * The socket as the connection sees it: the frame in flight stays counted as queued until the
	 * container has sent it, so nothing else is unsent; an abort closes it without waiting.
	 */
	private final class AbortableSocket implements HttpConnection.TransportSocket {

		@Override
		public long unsentBytes() {
			return 0;
		}

		@Override
		public void abort() {
			ConnectionWebSocket.this.writes.execute(ConnectionWebSocket.this::abortSocket);
		}
	}

	/** Everything queued, in order, as one frame (SignalR's messages carry their own framing). */
	private byte[] drain() {
		if (this.queue.size() == 1) {
			return this.queue.poll();
		}
		int length = 0;
		for (byte[] data : this.queue) {
			length += data.length;
		}
		byte[] frame = new byte[length];
		int offset = 0;
		byte[] data;
		while ((data = this.queue.poll()) != null) {
			System.arraycopy(data, 0, frame, offset, data.length);
			offset += data.length;
		}
		return frame;
	}

	private void close(int code) {
		Session session = this.session;
		synchronized (this) {
			this.closed = true;
			if (session == null) {
				// not open yet: it closes as it opens
				this.pendingClose = code;
				return;
			}
		}
		if (!session.isOpen()) {
			return;
		}
		try {
			session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), ""));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Close of the WebSocket of connection " + this.connection.id() + " failed", ex);
		}
	}
}
