package io.github.springsignalr.webflux;

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
 * a time (the next frame is read when the handler is done with the last), the outbound queue goes out
 * until it ends, then the socket closes and the connection learns how. One object instead of a chain of
 * operators: an idle connection holds little more than this.
 */
final class ConnectionWebSocket extends Mono<Void> implements CoreSubscriber<Object>, Subscription {

	private static final AtomicIntegerFieldUpdater<ConnectionWebSocket> RUNNING = AtomicIntegerFieldUpdater
		.newUpdater(ConnectionWebSocket.class, "running");

	/** The transport's logger: its category and texts are the WebSocket transport's. */
	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final Mono<Void> EMPTY = Mono.empty();

	private final UpgradedSocket socket;

	private final HttpConnection connection;

	private final ConnectionHandler handler;

	private final int generation;

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

	ConnectionWebSocket(UpgradedSocket socket, HttpConnection connection, int generation) {
		this.socket = socket;
		this.connection = connection;
		this.handler = connection.route().handler();
		this.generation = generation;
	}

	void start(Consumer<Runnable> output, boolean resume) {
		output.accept(this::outputEnded);
		// assembled here, on the event loop: the frame aggregator joins the pipeline before any frame
		Flux<?> frames = this.socket.frames();
		if (resume) {
			frames.subscribe(this);
		}
		else {
			this.step.then = () -> frames.subscribe(this);
			this.handler.onConnected(this.connection).subscribe(this.step);
		}
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
		this.step.then = this::next;
		subscription.request(1);
	}

	private void next() {
		Subscription frames = this.frames;
		if (frames != null) {
			frames.request(1);
		}
	}

	@Override
	public void onNext(Object frame) {
		byte[] data = this.socket.payload(frame);
		if (data == null) {
			next();
			return;
		}
		Mono<Void> handled;
		try {
			handled = this.handler.onReceived(this.connection, data);
			if (handled != EMPTY) {
				handled.subscribe(this.step);
			}
		}
		catch (RuntimeException | Error ex) {
			// an error (a stack overflow) would otherwise drop the socket without a Close
			failed(ex);
			return;
		}
		if (handled == EMPTY) {
			next();
		}
	}

	@Override
	public void onError(Throwable error) {
		failed(error);
	}

	@Override
	public void onComplete() {
		inputEnded();
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

	private void outputEnded() {
		this.socket.close(WebSocketTransport.closeStatus(this.connection)).subscribe(null, (ex) -> ended(), this::ended);
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

	/** Subscribes to the handler's work on one message and reads the next frame when it is done. */
	private final class Step implements CoreSubscriber<Void> {

		private Runnable then = () -> {
		};

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
			this.then.run();
		}
	}
}
