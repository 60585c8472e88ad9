package io.github.springsignalr.webflux;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import io.github.springsignalr.legacy.LegacyTransport;

/**
 * A live channel of a classic connection as a stream of JSON texts (UTF-8), which an event stream, a
 * forever frame or (on servers other than Reactor Netty) a WebSocket writes out; writes from several
 * threads are serialized here.
 */
final class LegacyChannel implements LegacyTransport {

	private final Sinks.Many<byte[]> texts = Sinks.many().unicast().onBackpressureBuffer();

	@Override
	public synchronized boolean write(byte[] json) {
		return this.texts.tryEmitNext(json).isSuccess();
	}

	@Override
	public synchronized void end() {
		this.texts.tryEmitComplete();
	}

	/** What the connection writes, until it ends the channel. */
	Flux<byte[]> texts() {
		return this.texts.asFlux();
	}
}
