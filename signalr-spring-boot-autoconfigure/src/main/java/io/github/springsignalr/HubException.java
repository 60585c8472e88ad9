package io.github.springsignalr;

import org.jspecify.annotations.Nullable;

/**
 * An error whose message is meant for the client: thrown from a hub method, its message reaches the
 * caller's Completion even when detailed errors are off. It may carry error data for the client too
 * (see {@link #withErrorData}): clients of ASP.NET SignalR 2 receive it as the error's {@code data};
 * the ASP.NET Core protocol has no place for it.
 */
public class HubException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable Object errorData;

	public HubException(String message) {
		this(message, null, null);
	}

	public HubException(String message, Throwable cause) {
		this(message, cause, null);
	}

	private HubException(String message, @Nullable Throwable cause, @Nullable Object errorData) {
		super(message, cause);
		this.errorData = errorData;
	}

	/**
	 * An error with data for the client, serialized as JSON (e.g. a map {@code {"ErrorNumber":42}}).
	 * @since 1.1
	 */
	public static HubException withErrorData(String message, @Nullable Object errorData) {
		return new HubException(message, null, errorData);
	}

	/** The data for the client, if any. */
	public @Nullable Object errorData() {
		return this.errorData;
	}
}
