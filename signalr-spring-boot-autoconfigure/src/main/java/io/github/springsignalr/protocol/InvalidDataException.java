package io.github.springsignalr.protocol;

/**
 * Raised when a client sends data that is not valid for the protocol in use. The name matches the
 * .NET exception that the reference server reports in the same situations, because detailed error
 * texts include the exception's simple class name.
 */
public class InvalidDataException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidDataException(String message) {
		super(message);
	}

	public InvalidDataException(String message, Throwable cause) {
		super(message, cause);
	}
}
