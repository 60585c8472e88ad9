package io.github.springsignalr.webflux;

import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.NettyOutbound;
import reactor.netty.NettyPipeline;

/**
 * Makes Reactor Netty answer a client Close frame that carries no status code with 1000, as ASP.NET
 * Core does; Reactor Netty otherwise mirrors the empty frame and the client sees 1005.
 */
@ChannelHandler.Sharable
final class NormalClosureReply extends ChannelInboundHandlerAdapter {

	private static final String NAME = "signalr.normalClosureReply";

	/** Set on a channel once the client has sent a Close frame: the socket did not just drop. */
	static final AttributeKey<Boolean> CLIENT_CLOSED = AttributeKey.valueOf("signalr.clientClosed");

	private static final NormalClosureReply INSTANCE = new NormalClosureReply();

	private NormalClosureReply() {
	}

	/** Installs the reply on an upgraded Reactor Netty exchange; other servers are left alone. */
	static void install(ServerWebExchange exchange) {
		Object response = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		if (response instanceof NettyOutbound) {
			((NettyOutbound) response).withConnection((connection) -> {
				if (connection.channel().pipeline().get(NAME) == null
						&& connection.channel().pipeline().get(NettyPipeline.ReactiveBridge) != null) {
					connection.channel().pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, INSTANCE);
				}
			});
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof CloseWebSocketFrame) {
			ctx.channel().attr(CLIENT_CLOSED).set(Boolean.TRUE);
		}
		if (msg instanceof CloseWebSocketFrame && ((CloseWebSocketFrame) msg).isFinalFragment()
				&& ((CloseWebSocketFrame) msg).content().readableBytes() == 0) {
			CloseWebSocketFrame empty = (CloseWebSocketFrame) msg;
			int rsv = empty.rsv();
			empty.release();
			ctx.fireChannelRead(new CloseWebSocketFrame(true, rsv, WebSocketCloseStatus.NORMAL_CLOSURE.code(), null));
			return;
		}
		ctx.fireChannelRead(msg);
	}
}
