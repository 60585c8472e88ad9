package io.github.springsignalr.interop;

/** Named after the .NET exception the clients' tests expect to see in detailed error texts. */
public class InvalidOperationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidOperationException(String message) {
		super(message);
	}
}
