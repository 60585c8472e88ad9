package io.github.springsignalr;

/**
 * An error whose message is meant for the client: thrown from a hub method, its message reaches the
 * caller's Completion even when detailed errors are off.
 */
public class HubException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public HubException(String message) {
		super(message);
	}

	public HubException(String message, Throwable cause) {
		super(message, cause);
	}
}
