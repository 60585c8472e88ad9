import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.springsignalr.bench.loadgen.Dialect;
import io.github.springsignalr.bench.loadgen.dialect.Dialects;
import reactor.netty.http.client.HttpClient;

/**
 * Checks one load-generator dialect against a running server, as the official-client checks do: echo comes back
 * to the caller only with t exactly, broadcast reaches everyone, join is confirmed, group sends reach members
 * only, a paused reader gets everything once resumed. Run by dialects.sh with the loadgen class path:
 * {@code java -cp CP DialectCheck.java <dialect> <path> <port>}.
 */
public final class DialectCheck {

	private static int failures;

	private DialectCheck() {
	}

	public static void main(String[] args) throws Exception {
		Dialect dialect = Dialects.create(args[0], args[1]);
		HttpClient http = HttpClient.create().host("127.0.0.1").port(Integer.parseInt(args[2]));
		Inbox ia = new Inbox();
		Inbox ib = new Inbox();
		Dialect.Session a = dialect.open(http, ia).block(Duration.ofSeconds(10));
		Dialect.Session b = dialect.open(http, ib).block(Duration.ofSeconds(10));
		long t = System.nanoTime();
		// the SignalR JSON codec writes payloads as they are; the peers' dialects escape them
		a.echo(t, args[0].startsWith("signalr") ? "hello" : "h\u00e9llo \"quoted\" \\");
		check("echo returns t exactly", Objects.equals(ia.next(), t));
		check("echo goes to the caller only", ib.none());
		b.broadcast(t + 1, "x");
		check("broadcast reaches a", Objects.equals(ia.next(), t + 1));
		check("broadcast reaches b", Objects.equals(ib.next(), t + 1));
		a.join("g1").block(Duration.ofSeconds(5));
		check("join confirmed", true);
		b.sendToGroup("g1", t + 2, "y");
		check("group send reaches the member", Objects.equals(ia.next(), t + 2));
		check("group send skips non-members", ib.none());
		b.pauseReading(true);
		for (int i = 0; i < 1000; i++) {
			a.broadcast(i, "p");
		}
		check("1000 broadcasts reach the reader", ia.count(1000) == 1000);
		b.pauseReading(false);
		check("1000 broadcasts reach the paused reader once resumed", ib.count(1000) == 1000);
		a.close().block(Duration.ofSeconds(5));
		b.close().block(Duration.ofSeconds(5));
		System.out.println((11 - failures) + " passed, " + failures + " failed");
		System.exit(failures == 0 ? 0 : 1);
	}

	private static void check(String name, boolean ok) {
		System.out.println((ok ? "ok   " : "FAIL ") + name);
		if (!ok) {
			failures++;
		}
	}

	/** The timestamps delivered to one session. */
	private static final class Inbox implements Dialect.MessageSink {

		private final BlockingQueue<Long> queue = new LinkedBlockingQueue<>();

		@Override
		public void delivered(long sentNanos) {
			queue.add(sentNanos);
		}

		Long next() throws InterruptedException {
			return queue.poll(5, TimeUnit.SECONDS);
		}

		boolean none() throws InterruptedException {
			return queue.poll(300, TimeUnit.MILLISECONDS) == null;
		}

		int count(int expected) throws InterruptedException {
			int got = 0;
			while (got < expected && next() != null) {
				got++;
			}
			return got;
		}
	}
}
