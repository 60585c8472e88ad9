package io.github.springsignalr.webflux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body data rate of {@link HttpRequestTimeouts} on a Netty channel: a body that trickles is cut with
 * 408, but not while the application holds it back (auto-read off, as a POST waiting for its hub is).
 * Real-socket tests of every limit are in the interop module's {@code HttpRequestTimeoutsTests}.
 */
class HttpRequestTimeoutsTests {

	private static final HttpRequestTimeouts LIMITS = new HttpRequestTimeouts(Duration.ofSeconds(30),
			Duration.ofSeconds(30), 240, Duration.ofMillis(300));

	private final EmbeddedChannel channel = new EmbeddedChannel();

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void bodySlowerThanTheMinimumDataRateGets408() throws InterruptedException {
		startPost();

		waitPastTheRateCheck();

		assertThat(writtenText()).startsWith("HTTP/1.1 408 Request Timeout");
	}

	@Test
	void bodyHeldBackByTheApplicationIsNotCutForItsRate() throws InterruptedException {
		startPost();
		this.channel.config().setAutoRead(false);

		waitPastTheRateCheck();

		assertThat(this.channel.isActive()).isTrue();
		assertThat(writtenText()).isEmpty();
	}

	private void startPost() {
		this.channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		LIMITS.install(this.channel);
		this.channel.writeInbound(Unpooled.copiedBuffer(
				"POST /chat?id=x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n0123456789",
				StandardCharsets.US_ASCII));
		Object message;
		while ((message = this.channel.readInbound()) != null) {
			ReferenceCountUtil.release(message);
		}
	}

	/** Past the grace period and two checks a second apart. */
	private void waitPastTheRateCheck() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMillis(2600).toNanos();
		while (System.nanoTime() < deadline) {
			Thread.sleep(50);
			this.channel.runScheduledPendingTasks();
			this.channel.runPendingTasks();
		}
	}

	private String writtenText() {
		StringBuilder text = new StringBuilder();
		Object message;
		while ((message = this.channel.readOutbound()) != null) {
			if (message instanceof ByteBuf buffer) {
				text.append(buffer.toString(StandardCharsets.US_ASCII));
			}
			ReferenceCountUtil.release(message);
		}
		return text.toString();
	}

}
