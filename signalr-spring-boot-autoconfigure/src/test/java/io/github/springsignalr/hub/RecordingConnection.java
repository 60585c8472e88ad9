package io.github.springsignalr.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionRequest;
import io.github.springsignalr.Connections;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * A {@link Connection} without a network: it records every frame sent to it, in order, and whether it
 * was closed.
 */
public final class RecordingConnection implements Connection {

	private final String id;

	private final @Nullable Principal user;

	private final Map<Object, Object> items = new ConcurrentHashMap<>();

	private final List<byte[]> sent = new ArrayList<>();

	private volatile TransferFormat transferFormat = TransferFormat.TEXT;

	private volatile boolean closed;

	private volatile @Nullable Throwable abortCause;

	public RecordingConnection(String id) {
		this(id, null);
	}

	public RecordingConnection(String id, @Nullable String userName) {
		this.id = id;
		this.user = (userName != null) ? () -> userName : null;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public TransportType transport() {
		return TransportType.WEB_SOCKETS;
	}

	@Override
	public ConnectionRequest request() {
		return new ConnectionRequest(URI.create("http://localhost/hub?id=" + this.id), new HttpHeaders(),
				new LinkedMultiValueMap<>(), new LinkedMultiValueMap<>(), null);
	}

	@Override
	public @Nullable Principal user() {
		return this.user;
	}

	@Override
	public Map<Object, Object> items() {
		return this.items;
	}

	@Override
	public TransferFormat transferFormat() {
		return this.transferFormat;
	}

	@Override
	public void transferFormat(TransferFormat format) {
		this.transferFormat = format;
	}

	@Override
	public boolean send(byte[] data) {
		synchronized (this.sent) {
			if (this.closed) {
				return false;
			}
			this.sent.add(data);
			this.sent.notifyAll();
			return true;
		}
	}

	@Override
	public void close() {
		synchronized (this.sent) {
			this.closed = true;
			this.sent.notifyAll();
		}
	}

	@Override
	public void abort(@Nullable Throwable cause) {
		this.abortCause = cause;
		close();
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	/** The cause given to {@link #abort}, if any. */
	public @Nullable Throwable abortCause() {
		return this.abortCause;
	}

	@Override
	public Connections connections() {
		return new Connections() {

			@Override
			public boolean send(String connectionId, byte[] data) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void broadcast(byte[] data, Collection<String> excludedConnectionIds) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void addToGroup(String connectionId, String group) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void removeFromGroup(String connectionId, String group) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void sendToGroup(String group, byte[] data, Collection<String> excludedConnectionIds) {
				throw new UnsupportedOperationException();
			}

			@Override
			public int count() {
				return 0;
			}
		};
	}

	/** Every frame sent so far, as the bytes given to {@link #send}. */
	public List<byte[]> sentFrames() {
		synchronized (this.sent) {
			return List.copyOf(this.sent);
		}
	}

	/** Every frame sent so far, as UTF-8 text. */
	public List<String> sentTexts() {
		return sentFrames().stream().map((frame) -> new String(frame, StandardCharsets.UTF_8)).toList();
	}

	/**
	 * Waits until at least {@code count} frames were sent.
	 * @return every frame sent so far, as text
	 * @throws AssertionError when they do not arrive within the timeout
	 */
	public List<String> awaitTexts(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.sent) {
			while (this.sent.size() < count) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new AssertionError("Expected " + count + " frames on connection " + this.id + " within "
							+ timeout + " but got " + sentTexts());
				}
				try {
					this.sent.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted", ex);
				}
			}
		}
		return sentTexts();
	}

	/** Waits until the connection is closed. */
	public void awaitClosed(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.sent) {
			while (!this.closed) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new AssertionError("Connection " + this.id + " was not closed within " + timeout);
				}
				try {
					this.sent.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted", ex);
				}
			}
		}
	}

	@Override
	public String toString() {
		return "RecordingConnection[" + this.id + "]";
	}

}
