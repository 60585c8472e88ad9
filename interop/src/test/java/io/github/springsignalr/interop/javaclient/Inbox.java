package io.github.springsignalr.interop.javaclient;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;

/**
 * What one Java client received on some targets, in arrival order, as {@code "Target:argument"}
 * entries. Register it before the connection starts to see messages sent on connect.
 */
final class Inbox {

	static final String SENTINEL = "Sentinel";

	private final BlockingQueue<String> entries = new LinkedBlockingQueue<>();

	/** Listens to {@code targets} (each with one string argument) and to {@link #SENTINEL}. */
	static Inbox listen(HubConnection connection, String... targets) {
		Inbox inbox = new Inbox();
		for (String target : targets) {
			connection.on(target, (String argument) -> inbox.entries.add(target + ":" + argument), String.class);
		}
		connection.on(SENTINEL, (String argument) -> inbox.entries.add(SENTINEL + ":" + argument), String.class);
		return inbox;
	}

	/** The next entry, waiting at most {@link JavaClients#TIMEOUT}. */
	String next() throws InterruptedException {
		String entry = this.entries.poll(JavaClients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (entry == null) {
			fail("nothing received within " + JavaClients.TIMEOUT);
		}
		return entry;
	}

	/**
	 * Entries received before the sentinel {@code "Sentinel:<marker>"}. Messages to one connection
	 * arrive in order, so anything sent to it before the sentinel is in this list.
	 */
	List<String> untilSentinel(String marker) throws InterruptedException {
		List<String> received = new ArrayList<>();
		for (String entry = next(); !entry.equals(SENTINEL + ":" + marker); entry = next()) {
			received.add(entry);
		}
		return received;
	}
}
