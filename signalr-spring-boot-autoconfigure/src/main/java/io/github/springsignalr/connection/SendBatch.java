package io.github.springsignalr.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Groups the hand-overs of one fan-out (a broadcast, a group send) by event loop: a transport that would
 * hand its connection's write to another thread's loop registers it here instead, and at the end of the
 * fan-out each loop gets one task that runs all of its connections' writes. A message to 10 000
 * connections over 4 event loops then wakes each loop once instead of once per connection.
 * <p>
 * Outside {@link #run(Runnable)} nothing is deferred; fan-outs inside a fan-out join the outer one.
 */
public final class SendBatch {

	private static final Log logger = LogFactory.getLog(SendBatch.class);

	/** The fan-out running on this thread; an indexed slot on Netty's event-loop threads. */
	private static final FastThreadLocal<SendBatch> CURRENT = new FastThreadLocal<>();

	/** The loops with deferred work, in order of first use. */
	private final List<Executor> loops = new ArrayList<>(4);

	/** The work of each loop, at the same index as the loop. */
	private final List<List<Runnable>> work = new ArrayList<>(4);

	private SendBatch() {
	}

	/** Runs {@code sends} (writes to many connections), handing their deferred work to each loop once. */
	public static void run(Runnable sends) {
		if (CURRENT.get() != null) {
			sends.run();
			return;
		}
		SendBatch batch = new SendBatch();
		CURRENT.set(batch);
		try {
			sends.run();
		}
		finally {
			CURRENT.remove();
			batch.handOver();
		}
	}

	/**
	 * Defers {@code task} to the end of the current fan-out, when there is one on this thread.
	 * @return {@code false} when there is none: the caller runs or schedules the task itself
	 */
	public static boolean defer(Executor loop, Runnable task) {
		SendBatch batch = CURRENT.get();
		if (batch == null) {
			return false;
		}
		List<Executor> loops = batch.loops;
		for (int i = 0; i < loops.size(); i++) {
			if (loops.get(i) == loop) {
				batch.work.get(i).add(task);
				return true;
			}
		}
		loops.add(loop);
		List<Runnable> tasks = new ArrayList<>();
		tasks.add(task);
		batch.work.add(tasks);
		return true;
	}

	private void handOver() {
		for (int i = 0; i < this.loops.size(); i++) {
			List<Runnable> tasks = this.work.get(i);
			try {
				this.loops.get(i).execute(() -> runAll(tasks));
			}
			catch (RuntimeException ex) {
				// a loop that is shutting down: its connections are closing with it
				logger.debug("Event loop refused deferred writes", ex);
			}
		}
	}

	private static void runAll(List<Runnable> tasks) {
		for (int t = 0; t < tasks.size(); t++) {
			try {
				tasks.get(t).run();
			}
			catch (RuntimeException ex) {
				// one connection's failure must not keep the others' writes waiting
				logger.debug("Deferred write failed", ex);
			}
		}
	}
}
