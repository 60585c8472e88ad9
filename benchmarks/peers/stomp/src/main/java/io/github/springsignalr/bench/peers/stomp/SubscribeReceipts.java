package io.github.springsignalr.bench.peers.stomp;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Answers a SUBSCRIBE that asks for a receipt once the subscription is registered. Spring's simple broker
 * answers receipts only for DISCONNECT; the benchmark's "join group" needs a confirmation, so this sends the
 * RECEIPT frame after the handler that registers the subscription has run: the user-destination handler for
 * {@code /user/...} destinations (it forwards synchronously to the broker), the broker for the others.
 */
final class SubscribeReceipts implements ExecutorChannelInterceptor {

	private final MessageChannel clientOutboundChannel;

	SubscribeReceipts(MessageChannel clientOutboundChannel) {
		this.clientOutboundChannel = clientOutboundChannel;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			@Nullable Exception ex) {
		// cheap test first: every inbound message passes here once per handler
		if (ex != null || SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) != SimpMessageType.SUBSCRIBE) {
			return;
		}
		StompHeaderAccessor in = StompHeaderAccessor.wrap(message);
		if (in.getCommand() != StompCommand.SUBSCRIBE || in.getReceipt() == null) {
			return;
		}
		String destination = in.getDestination();
		boolean user = destination != null && destination.startsWith("/user/");
		if (user ? !(handler instanceof UserDestinationMessageHandler)
				: !(handler instanceof SimpleBrokerMessageHandler)) {
			return;
		}
		StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
		receipt.setReceiptId(in.getReceipt());
		receipt.setSessionId(in.getSessionId());
		receipt.setHeader(SimpMessageHeaderAccessor.SESSION_ATTRIBUTES, in.getSessionAttributes());
		receipt.setLeaveMutable(true);
		this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()));
	}
}
