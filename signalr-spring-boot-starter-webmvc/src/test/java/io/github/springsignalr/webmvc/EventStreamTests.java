package io.github.springsignalr.webmvc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.Test;

import io.github.springsignalr.connection.HttpConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The event stream's end against the container's report of a client gone: the container learns of the
 * end only once the request was completed, so that it neither renders its error page onto the stream nor
 * recycles the request while the stream still touches it.
 */
class EventStreamTests {

	@Test
	void containersErrorReportReturnsOnlyOnceTheEndingStreamHasCompletedTheRequest() throws Exception {
		HttpConnection connection = mock(HttpConnection.class);
		given(connection.id()).willReturn("connection");
		AsyncContext async = mock(AsyncContext.class);
		CountDownLatch completing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		willAnswer((invocation) -> {
			completing.countDown();
			// the stream's writer thread is inside complete() when the container reports the error
			release.await(10, TimeUnit.SECONDS);
			return null;
		}).given(async).complete();
		ServletOutputStream out = mock(ServletOutputStream.class);
		given(out.isReady()).willReturn(true);
		EventStream stream = new EventStream(connection, (task) -> new Thread(task, "event-stream-writer").start());
		stream.start(async, out, null);
		stream.onWritePossible();
		stream.complete();
		assertThat(completing.await(10, TimeUnit.SECONDS)).as("the writer completing the request").isTrue();

		CompletableFuture<Void> containersReport = CompletableFuture
			.runAsync(() -> stream.onError(new AsyncEvent(async, new java.io.IOException("Broken pipe"))));
		Thread.sleep(Duration.ofMillis(300).toMillis());
		assertThat(containersReport).as("the container's error report while the request is not yet completed")
			.isNotDone();
		release.countDown();
		containersReport.get(10, TimeUnit.SECONDS);
	}

}
