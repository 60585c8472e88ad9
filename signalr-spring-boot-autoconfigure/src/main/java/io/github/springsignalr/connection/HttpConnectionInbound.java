package io.github.springsignalr.connection;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.ConnectionHandler;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The inbound side of an {@link HttpConnection} over the HTTP transports: the data of POST bodies, queued
 * for the handler through an {@link InboundGate} that bounds it, and the failure of a POST over its limit.
 * A WebSocket hands its frames to the handler itself and never uses it.
 */
abstract sealed class HttpConnectionInbound extends HttpConnectionOutbound implements ConnectionFeatures.ReceiveFailure
		permits HttpConnectionTransport {

	/**
	 * Data of the HTTP transports (POST bodies) and what bounds it, created on first use: a WebSocket hands
	 * its frames to the handler itself and never needs it.
	 */
	private volatile @Nullable InboundGate inbound;

	/** How the handler ends the connection when its client sent more than a transport takes. */
	private volatile @Nullable Consumer<RuntimeException> receiveFailed;

	HttpConnectionInbound(String id, String token, ConnectionRoute endpoint, ConnectionManager manager) {
		super(id, token, endpoint, manager);
	}

	/**
	 * Data from the client over an HTTP transport (a POST body): handed to the endpoint's handler in
	 * arrival order, one chunk at a time, once the handler has seen the connection. Data that arrives
	 * before the transport is attached waits for it, as in the reference (signalrcore's long polling
	 * POSTs the handshake before its first poll).
	 * @return {@code false} when the connection is closed
	 */
	public boolean receive(byte[] data) {
		return emitInbound(data);
	}

	/**
	 * Bounds the data an HTTP transport queues for the handler: subscribes to {@code read}, which reads a
	 * POST body and hands it to {@link #receive(byte[])}, once no other POST of the connection is reading
	 * its body and the queue has room for {@code bytes} more within {@code limit} (or is empty); to
	 * {@code closed} instead when the connection ends first. Until then the body is left unread.
	 * @param bytes the most the POST adds (its declared length, or {@code limit} when it declares none)
	 * @param limit the bytes of received data not yet handled past which POSTs wait
	 */
	public <T> Mono<T> whenInboundRoom(long bytes, long limit, Mono<T> read, Mono<T> closed) {
		return inbound().turn(bytes, limit, read, closed);
	}

	/** Bytes received over an HTTP transport and not yet handled. */
	public long inboundBytes() {
		InboundGate gate = this.inbound;
		return (gate != null) ? gate.queued() : 0;
	}

	/**
	 * The client sent data that the transport did not take (a POST body over its limit): after the data
	 * received before it, the handler ends the connection as it ends it on invalid data (see
	 * {@link #onReceiveFailed}); it is aborted with {@code error} when the handler registered nothing.
	 * @return {@code false} when the connection is closed
	 */
	public boolean receiveFailed(RuntimeException error) {
		return emitInbound(error);
	}

	private boolean emitInbound(Object item) {
		InboundGate gate = inbound();
		Sinks.Many<Object> inbound = gate.sink;
		synchronized (inbound) {
			if (this.state == HttpConnection.State.CLOSED) {
				return false;
			}
			if (!(item instanceof byte[] data)) {
				return inbound.tryEmitNext(item).isSuccess();
			}
			// counted first: the handler may be done with it before tryEmitNext returns
			gate.received(data.length);
			if (inbound.tryEmitNext(data).isSuccess()) {
				return true;
			}
			gate.handled(data.length);
			return false;
		}
	}

	/** Registers how the handler ends the connection on {@link #receiveFailed}. */
	@Override
	public void onReceiveFailed(@Nullable Consumer<RuntimeException> receiveFailed) {
		this.receiveFailed = receiveFailed;
	}

	private InboundGate inbound() {
		InboundGate inbound = this.inbound;
		if (inbound == null) {
			synchronized (this) {
				inbound = this.inbound;
				if (inbound == null) {
					// a short first link: most HTTP transports' connections queue a chunk or two at a time
					inbound = new InboundGate(
							Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<Object>unbounded(8).get()));
					this.inbound = inbound;
				}
			}
			if (this.state == HttpConnection.State.CLOSED) {
				// transportEnded ran before the sink existed: end it as transportEnded would have
				endInbound(inbound);
			}
		}
		return inbound;
	}

	/** Ends the inbound side, if it was ever used: the handler gets what was queued, waiting POSTs the closed answer. */
	final void endInbound() {
		InboundGate inbound = this.inbound;
		if (inbound != null) {
			endInbound(inbound);
		}
	}

	private static void endInbound(InboundGate inbound) {
		synchronized (inbound.sink) {
			inbound.sink.tryEmitComplete();
		}
		inbound.close();
	}

	/**
	 * The handler's work on one chunk. An error it throws, when called or when its work is subscribed to
	 * (a stack overflow), fails that work and so ends the connection: Reactor would rethrow it past the
	 * stream instead, and the connection would take POSTs that nothing handles any more.
	 */
	private Mono<Void> received(ConnectionHandler handler, byte[] data) {
		return Mono.<Void>create((sink) -> {
			try {
				sink.onCancel(handler.onReceived(this, data).subscribe(null, sink::error, sink::success));
			}
			catch (Throwable ex) {
				sink.error(ex);
			}
		}).doFinally((signal) -> {
			// the chunk leaves the queue once handled, as the reference's reader advances past what it dispatched
			InboundGate gate = this.inbound;
			if (gate != null) {
				gate.handled(data.length);
			}
		});
	}

	private Mono<Void> failReceiving(RuntimeException error) {
		Consumer<RuntimeException> receiveFailed = this.receiveFailed;
		if (receiveFailed != null) {
			receiveFailed.accept(error);
		}
		else {
			ConnectionManager.logger.debug("Closing connection " + this.id + ": " + error.getMessage());
			abort(error);
		}
		return Mono.empty();
	}

	/**
	 * Starts handing data to the handler: first {@code onConnected}, then every chunk given to
	 * {@link #receive(byte[])}. For HTTP transports, whose data arrives in separate requests.
	 * <p>
	 * The handler runs on another thread than the request that brought the data: run inside
	 * {@code receive}, it would hold the inbound lock while it writes to the connection, while a DELETE
	 * or a close holding the connection's lock completes a poll that ends the inbound side: a deadlock.
	 */
	public void startReceiving() {
		startReceiving(Schedulers.parallel());
	}

	/**
	 * {@link #startReceiving()} with the handler run on {@code scheduler}: a Server-Sent Events connection's
	 * event loop, as a WebSocket's handler runs on its own (what it sends is written there and then). It
	 * must run each task after the one that scheduled it, never inside it.
	 */
	public void startReceiving(Scheduler scheduler) {
		ConnectionHandler handler = this.endpoint.handler();
		handler.onConnected(this)
			.thenMany(inbound().sink.asFlux()
				.publishOn(scheduler, 1)
				.<Void>concatMap((item) -> (item instanceof byte[] data) ? received(handler, data)
						: failReceiving((RuntimeException) item), 1))
			.subscribe(null, (ex) -> {
				ConnectionManager.logger.debug("Handler failed on connection " + this.id, ex);
				// nothing takes data any more: waiting POSTs get their answer now, as the transport's end gives it
				inbound().close();
				abort(ex);
			});
	}
}
