package io.github.springsignalr.bench.tomcat;

import java.io.IOException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * One raw WebSocket: each text message goes to the hub on the container's thread; replies are sent with the
 * blocking API from the thread that has them (the reader's for an echo, the sender's for a fan-out), one at a
 * time under the socket's lock as the Jakarta WebSocket API requires: the fewest hops Tomcat's API allows.
 * A socket whose send fails (or times out, Tomcat's 20 s blocking-send limit) is closed.
 */
final class RawEndpoint extends Endpoint implements MessageHandler.Whole<String> {

	private final RawTomcatHub hub;

	private @Nullable Session session;

	private RemoteEndpoint.@Nullable Basic remote;

	/** Open, and no send failed; under the lock. */
	private boolean open;

	RawEndpoint(RawTomcatHub hub) {
		this.hub = hub;
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		session.setMaxTextMessageBufferSize(65536);
		session.setMaxIdleTimeout(0);
		synchronized (this) {
			this.session = session;
			this.remote = session.getBasicRemote();
			this.open = true;
		}
		session.addMessageHandler(this);
		this.hub.add(this);
	}

	@Override
	public void onMessage(String message) {
		this.hub.receive(this, message);
	}

	@Override
	public void onClose(Session session, CloseReason reason) {
		synchronized (this) {
			this.open = false;
		}
		this.hub.remove(this);
	}

	/** Sends one message as a text frame, blocking until Tomcat has written it. */
	void send(String message) {
		Session failed = null;
		synchronized (this) {
			if (!this.open || this.remote == null) {
				return;
			}
			try {
				this.remote.sendText(message);
			}
			catch (IOException | IllegalStateException ex) {
				this.open = false;
				failed = this.session;
			}
		}
		if (failed != null) {
			try {
				failed.close();
			}
			catch (IOException ex) {
				// the socket is gone either way
			}
		}
	}
}
