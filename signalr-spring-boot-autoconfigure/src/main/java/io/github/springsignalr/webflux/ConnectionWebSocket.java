package io.github.springsignalr.webflux;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.web.reactive.socket.CloseStatus;

import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.connection.HttpConnection;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One WebSocket of a connection, from the upgrade to the end: the frames go to the handler one message at
 * a time (the next frame is handed over when the handler is done with the last), the outbound queue goes
 * out until it ends, then the socket closes and the connection learns how. One object instead of a chain of
 * operators: an idle connection holds little more than this. It is also what the frame writer tells when the
 * outbound side is done ({@link #run()}).
 * <p>
 * On Reactor Netty the frames are taken as the channel reads them, on its event loop (asked for one at a
 * time, Reactor Netty would give every socket a queue of its own on the first frame); those that arrive while
 * the handler is busy wait here, and past {@value #HELD_BEFORE_PAUSE} of them the channel stops reading, as
 * Reactor Netty's queue would have it.
 */
final class ConnectionWebSocket extends Mono<Void> implements CoreSubscriber<Object>, Subscription, Runnable {

	private static final AtomicIntegerFieldUpdater<ConnectionWebSocket> RUNNING = AtomicIntegerFieldUpdater
		.newUpdater(ConnectionWebSocket.class, "running");

	/** The transport's logger: its category and texts are the WebSocket transport's. */
	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final Mono<Void> EMPTY = Mono.empty();

	/** Messages held for a busy handler past which the channel stops reading (Reactor Netty's own bound). */
	private static final int HELD_BEFORE_PAUSE = 32;

	/** Held after the messages when the frames completed while some were held. */
	private static final Object INPUT_COMPLETE = new Object();

	private final UpgradedSocket socket;

	private final HttpConnection connection;

	/** The connection's transport generation this socket serves; set once attached, before {@link #start}. */
	private int generation;

	/** Reactor Netty's subscriber to this session, told when the socket is done; it closes the channel. */
	private @Nullable CoreSubscriber<? super Void> actual;

	/** The socket is done; under the lock. */
	private boolean done;

	/** The handler's work on one message (or on the connection's start); one at a time. */
	private final Step step = new Step();

	/** The input side and the output side, each 1 while it runs. */
	private volatile int running = 2;

	private volatile @Nullable Subscription frames;

	private boolean inputEnded;

	// Reactor Netty only, event loop only: what the handler has not taken yet

	/**
	 * Messages read while the handler was busy, in order, and after them how the frames ended
	 * ({@link #INPUT_COMPLETE} or their error) if they ended meanwhile; created when the first one waits.
	 */
	private @Nullable ArrayDeque<Object> held;

	/** The handler is working on a message. */
	private boolean handling;

	/** The channel stopped reading for a busy handler. */
	private boolean paused;

	ConnectionWebSocket(UpgradedSocket socket, HttpConnection connection) {
		this.socket = socket;
		this.connection = connection;
	}

	/** The socket serves this transport generation of its connection (attached or reattached). */
	void generation(int generation) {
		this.generation = generation;
	}

	UpgradedSocket socket() {
		return this.socket;
	}

	/** Closes the socket with the connection's close status: the abort of its transport. */
	Runnable abort() {
		return this.step;
	}

	void start(Consumer<Runnable> output, boolean resume) {
		output.accept(this);
		// assembled here, on the event loop, before any frame is read
		Flux<?> frames = this.socket.frames();
		Mono<Void> started = resume ? EMPTY : handler().onConnected(this.connection);
		if (started == EMPTY) {
			frames.subscribe(this);
		}
		else {
			started.subscribe(this.step);
		}
	}

	private ConnectionHandler handler() {
		return this.connection.route().handler();
	}

	/** The outbound side has ended (the frame writer is done): the socket closes. */
	@Override
	public void run() {
		this.socket.close(WebSocketTransport.closeStatus(this.connection)).subscribe(null, (ex) -> ended(), this::ended);
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		boolean done;
		synchronized (this) {
			this.actual = actual;
			done = this.done;
		}
		actual.onSubscribe(this);
		if (done) {
			actual.onComplete();
		}
	}

	@Override
	public void request(long n) {
		// nothing to emit: only completion
	}

	@Override
	public void cancel() {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			this.actual = null;
		}
		if (this.connection.generation() == this.generation) {
			this.connection.transportEnded(null);
		}
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.frames = subscription;
		subscription.request((this.socket.channel() != null) ? Long.MAX_VALUE : 1);
	}

	/** The handler is done with the connection's start or with a message: the next one goes. */
	private void handled() {
		Subscription frames = this.frames;
		Channel channel = this.socket.channel();
		if (frames == null) {
			// the start is done: the frames may come
			this.socket.frames().subscribe(this);
		}
		else if (channel == null) {
			frames.request(1);
		}
		else if (channel.eventLoop().inEventLoop()) {
			takeHeld();
		}
		else {
			channel.eventLoop().execute(this::takeHeld);
		}
	}

	@Override
	public void onNext(Object frame) {
		byte[] data = this.socket.payload(frame);
		Subscription frames = this.frames;
		if (this.socket.channel() == null) {
			if ((data == null || handle(data)) && frames != null) {
				frames.request(1);
			}
		}
		else if (data != null) {
			if (this.handling || this.held != null && !this.held.isEmpty()) {
				hold(data);
			}
			else {
				handle(data);
			}
		}
	}

	/**
	 * Hands one message to the handler.
	 * @return whether the handler is done with it already
	 */
	private boolean handle(byte[] data) {
		try {
			Mono<Void> handled = handler().onReceived(this.connection, data);
			if (handled == EMPTY) {
				return true;
			}
			this.handling = true;
			// may complete at once, and take what is held from here
			handled.subscribe(this.step);
		}
		catch (RuntimeException | Error ex) {
			// an error (a stack overflow) would otherwise drop the socket without a Close
			failed(ex);
		}
		return false;
	}

	/** A message read while the handler is busy waits; past the bound the channel stops reading. */
	private void hold(Object data) {
		ArrayDeque<Object> held = this.held;
		if (held == null) {
			held = new ArrayDeque<>(4);
			this.held = held;
		}
		held.add(data);
		Channel channel = this.socket.channel();
		if (held.size() >= HELD_BEFORE_PAUSE && !this.paused && channel != null) {
			this.paused = true;
			channel.config().setAutoRead(false);
		}
	}

	/** On the event loop, the handler being done: hands it what was held, then reads on. */
	private void takeHeld() {
		this.handling = false;
		ArrayDeque<Object> held = this.held;
		Object item;
		// the frames' end goes as soon as the messages before it are handed over, as it would unheld
		while (held != null && !isInputEnded() && (item = held.peek()) != null
				&& !(this.handling && item instanceof byte[])) {
			held.poll();
			if (item instanceof byte[] data) {
				handle(data);
			}
			else {
				endInput((item instanceof Throwable error) ? error : null);
			}
		}
		if (held != null && !held.isEmpty()) {
			if (!isInputEnded()) {
				return;
			}
			// the socket failed: nothing more goes to the handler
			held.clear();
		}
		Channel channel = this.socket.channel();
		if (this.paused && channel != null) {
			this.paused = false;
			channel.config().setAutoRead(true);
		}
	}

	private synchronized boolean isInputEnded() {
		return this.inputEnded;
	}

	@Override
	public void onError(Throwable error) {
		if (holdsMessages()) {
			hold(error);
			return;
		}
		endInput(error);
	}

	@Override
	public void onComplete() {
		if (holdsMessages()) {
			hold(INPUT_COMPLETE);
			return;
		}
		endInput(null);
	}

	/** Whether messages read before the frames ended still wait for the handler (they go first). */
	private boolean holdsMessages() {
		ArrayDeque<Object> held = this.held;
		return this.socket.channel() != null && held != null && !held.isEmpty() && !isInputEnded();
	}

	private void endInput(@Nullable Throwable error) {
		if (error != null) {
			failed(error);
		}
		else {
			inputEnded();
		}
	}

	private void failed(Throwable error) {
		Subscription frames = this.frames;
		if (frames != null) {
			frames.cancel();
		}
		// the reference's ErrorWritingFrame / ClosedPrematurely, at its level
		logger.debug("WebSocket of connection " + this.connection.id() + " failed.", error);
		if (!this.connection.statefulReconnect()) {
			// with stateful reconnect a reset socket is a lost transport, decided when it has ended
			this.connection.abort(error);
		}
		inputEnded();
		Channel channel = this.socket.channel();
		if (channel != null) {
			// on the event loop, what is held is dropped, and a channel that stopped reading reads on
			channel.eventLoop().execute(this::takeHeld);
		}
	}

	private void inputEnded() {
		synchronized (this) {
			if (this.inputEnded) {
				return;
			}
			this.inputEnded = true;
		}
		if (!this.connection.statefulReconnect()) {
			this.connection.close();
		}
		ended();
	}

	/** One side has ended; when both have, how the client closed decides the transport's fate. */
	private void ended() {
		if (RUNNING.decrementAndGet(this) != 0) {
			return;
		}
		this.socket.closeCode().subscribe(this::closed, (ex) -> closed(1006));
	}

	private void closed(int code) {
		try {
			if (this.connection.generation() != this.generation) {
				// another WebSocket took this connection over (stateful reconnect)
				return;
			}
			// a client that sent no Close frame lost its socket; the status is unreliable once we closed ours
			Channel channel = this.socket.channel();
			boolean dropped = (channel != null) ? channel.attr(NettyFrameWriter.CLIENT_CLOSED).get() == null
					: code == CloseStatus.NO_CLOSE_FRAME.getCode();
			if (logger.isDebugEnabled()) {
				logger.debug(dropped ? "Socket connection of " + this.connection.id() + " closed prematurely."
						: "Socket of connection " + this.connection.id() + " closed with status code '" + code + "'.");
			}
			if (dropped && !this.connection.isClosed()) {
				// the socket dropped without a close frame: a stateful client may come back
				this.connection.transportLost(null);
			}
			else {
				this.connection.transportEnded(null);
			}
		}
		finally {
			CoreSubscriber<? super Void> actual;
			synchronized (this) {
				actual = this.done ? null : this.actual;
				this.done = true;
			}
			if (actual != null) {
				actual.onComplete();
			}
		}
	}

	/**
	 * Subscribes to the handler's work on one message (or on the connection's start) and hands over the next
	 * when it is done. Also the abort of the connection's transport ({@link #abort()}): one object fewer.
	 */
	private final class Step implements CoreSubscriber<Void>, Runnable {

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			failed(error);
		}

		@Override
		public void onComplete() {
			handled();
		}

		@Override
		public void run() {
			socket.close(WebSocketTransport.closeStatus(connection)).subscribe(null, (ex) -> {
			});
		}
	}
}
