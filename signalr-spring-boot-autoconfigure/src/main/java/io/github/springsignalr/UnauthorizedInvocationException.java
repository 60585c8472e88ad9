package io.github.springsignalr;

/**
 * Raised by an authorization filter when the caller may not invoke a hub method; the client gets the
 * reference's Completion error "Failed to invoke '{method}' because user is unauthorized".
 */
public class UnauthorizedInvocationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public UnauthorizedInvocationException(String method) {
		super("Failed to invoke '" + method + "' because user is unauthorized");
	}
}
