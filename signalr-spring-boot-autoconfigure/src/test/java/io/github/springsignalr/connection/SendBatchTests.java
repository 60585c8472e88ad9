package io.github.springsignalr.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fan-out hands each event loop its connections' writes in one task, in order, after the fan-out.
 */
class SendBatchTests {

	/** An event loop that keeps its tasks until told to run them. */
	private static final class Loop implements Executor {

		final List<Runnable> tasks = new ArrayList<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			new ArrayList<>(this.tasks).forEach(Runnable::run);
		}
	}

	@Test
	void oneTaskPerLoopRunsItsWritesInOrder() {
		Loop a = new Loop();
		Loop b = new Loop();
		List<String> ran = new ArrayList<>();
		SendBatch.run(() -> {
			for (int i = 0; i < 5; i++) {
				int n = i;
				assertThat(SendBatch.defer(a, () -> ran.add("a" + n))).isTrue();
				assertThat(SendBatch.defer(b, () -> ran.add("b" + n))).isTrue();
			}
			// a fan-out inside a fan-out joins it
			SendBatch.run(() -> SendBatch.defer(a, () -> ran.add("a-inner")));
			assertThat(a.tasks).isEmpty();
		});
		assertThat(a.tasks).hasSize(1);
		assertThat(b.tasks).hasSize(1);
		assertThat(ran).isEmpty();
		a.runAll();
		b.runAll();
		assertThat(ran).containsExactly("a0", "a1", "a2", "a3", "a4", "a-inner", "b0", "b1", "b2", "b3", "b4");
	}

	@Test
	void aFailingWriteDoesNotHoldBackTheOthersAndNothingIsDeferredOutsideAFanOut() {
		Loop a = new Loop();
		List<String> ran = new ArrayList<>();
		SendBatch.run(() -> {
			SendBatch.defer(a, () -> {
				throw new IllegalStateException("closed");
			});
			SendBatch.defer(a, () -> ran.add("after"));
		});
		a.runAll();
		assertThat(ran).containsExactly("after");
		assertThat(SendBatch.defer(a, () -> ran.add("outside"))).isFalse();
	}
}
