package io.github.springsignalr.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/** What arrived and no expectation took yet, in arrival order; takers wait for a match. */
final class Mailbox<T> {

	private final LinkedList<T> items = new LinkedList<>();

	synchronized void put(T item) {
		this.items.add(item);
		notifyAll();
	}

	/** Removes and returns the first item that matches, waiting up to {@code timeout} for one. */
	synchronized @Nullable T take(Predicate<T> matches, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			for (Iterator<T> it = this.items.iterator(); it.hasNext();) {
				T item = it.next();
				if (matches.test(item)) {
					it.remove();
					return item;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			try {
				wait(Math.max(1, left / 1_000_000), 0);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	synchronized List<T> snapshot() {
		return new ArrayList<>(this.items);
	}

	synchronized int size() {
		return this.items.size();
	}
}
