package io.github.springsignalr.hub;

import java.util.Map;

import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.SignalType;

import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.protocol.HubMessage;

/**
 * Sends a server-to-client stream at the client's pace: the next item is requested only when the
 * connection's outbound queue is short (and, with stateful reconnect, its replay buffer has room), so a
 * slow reader holds the producer back.
 */
final class StreamSender extends BaseSubscriber<Object> {

	private final HubConnectionContext context;

	private final String id;

	private final ExceptionHandlers exceptionHandlers;

	StreamSender(HubConnectionContext context, String id, ExceptionHandlers exceptionHandlers) {
		this.context = context;
		this.id = id;
		this.exceptionHandlers = exceptionHandlers;
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		subscription.request(1);
	}

	@Override
	protected void hookOnNext(Object item) {
		this.context.write(new HubMessage.StreamItem(this.id, item, Map.of()));
		MessageBuffer buffer = this.context.messageBuffer();
		ConnectionFeatures.Backpressure flow = this.context.connection().feature(ConnectionFeatures.Backpressure.class);
		if (flow != null && buffer != null) {
			buffer.whenSpace(() -> flow.whenWritable(() -> request(1)));
		}
		else if (flow != null) {
			flow.whenWritable(() -> request(1));
		}
		else if (buffer != null) {
			buffer.whenSpace(() -> request(1));
		}
		else {
			request(1);
		}
	}

	@Override
	protected void hookOnComplete() {
		this.context.write(HubMessage.Completion.empty(this.id));
	}

	@Override
	protected void hookOnError(Throwable error) {
		Throwable handled = this.exceptionHandlers.handle(error, this.context);
		this.context.sendError(this.id, this.context.errorMessage(
				"An error occurred on the server while streaming results.", (handled != null) ? handled : error));
	}

	@Override
	protected void hookFinally(SignalType type) {
		this.context.streams().remove(this.id, this);
	}
}
