package io.github.springsignalr.connection;

import java.security.Principal;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.metrics.SignalRMetrics;

/**
 * The optional capabilities a transport gives its connections, in the spirit of ASP.NET Core's
 * connection features: a handler asks {@link io.github.springsignalr.Connection#feature(Class)} for the
 * ones it can use and does without the others. A connection of any wire protocol (the ASP.NET Core
 * transports, the classic ASP.NET SignalR 2 ones) offers what it has.
 */
public final class ConnectionFeatures {

	private ConnectionFeatures() {
	}

	/** A slot for the handler's per-connection state, cheaper to reach than {@code items()}. */
	public interface HandlerState {

		/** The state the handler stored, if any. */
		@Nullable Object handlerState();

		/** Stores the handler's state. */
		void handlerState(@Nullable Object state);
	}

	/** A tick once a second while the connection lives: keep-alives and timeouts run on it. */
	public interface Heartbeat {

		/** Registers the work to run on every tick ({@code null} removes it). */
		void onHeartbeat(@Nullable Runnable tick);
	}

	/** Notice that the server is shutting down, so a handler can say goodbye before the transport ends. */
	public interface ShutdownNotice {

		/** Registers what to run when the server starts shutting down. */
		void onShutdown(@Nullable Runnable notice);
	}

	/** Notice that client data could not be taken (a POST over its limit): the handler closes as for bad data. */
	public interface ReceiveFailure {

		/** Registers what to run with the error. */
		void onReceiveFailed(@Nullable Consumer<RuntimeException> receiveFailed);
	}

	/** Flow control: producers wait until the client has taken what was queued. */
	public interface Backpressure {

		/** Runs {@code waiter} once the outbound queue is short (now, if it is). */
		void whenWritable(Runnable waiter);
	}

	/** Where a handler says why it is ending the connection, for the metrics of its end. */
	public interface CloseReporting {

		/** Records the reason the connection is about to end. */
		void closeReason(SignalRMetrics.CloseReason reason);
	}

	/**
	 * The transport itself shows the client is alive (long polling's polls): no keep-alive messages are
	 * needed, and the client timeout does not apply.
	 */
	public interface InherentKeepAlive {
	}

	/**
	 * Stateful reconnect was negotiated: a lost transport may come back with the same connection, and the
	 * handler resends what the client has not acknowledged. Present only when negotiated.
	 */
	public interface StatefulReconnect {

		/** Registers the handler's part ({@code null} removes it). */
		void onReconnect(@Nullable ReconnectListener listener);

		/** The outbound buffer limit of the connection's endpoint, in bytes. */
		long outboundBufferSize();
	}

	/** What a handler does when a connection's transport is lost and when it comes back. */
	public interface ReconnectListener {

		/** The transport was lost: whether the handler can resume later (it keeps what the client missed). */
		boolean transportLost();

		/** A new transport is attached: resend what the client has not acknowledged. */
		void resumed();
	}

	/**
	 * The connection's credentials can be replaced while it is open (ASP.NET Core 11's authentication
	 * refresh): the handler decides whether a new principal may take the current one's place and learns
	 * when it has.
	 */
	public interface AuthenticationRefresh {

		/** Registers the handler's part ({@code null} removes it). */
		void onAuthenticationRefresh(@Nullable AuthenticationRefreshListener listener);
	}

	/** What a handler does when a connection's principal is to be replaced. */
	public interface AuthenticationRefreshListener {

		/** Whether {@code user} may replace the connection's principal (the same user, to the handler). */
		boolean accepts(Principal user);

		/** The connection's principal is {@code user} from now on. */
		void refreshed(Principal user);
	}
}
