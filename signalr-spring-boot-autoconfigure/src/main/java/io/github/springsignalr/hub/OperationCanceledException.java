package io.github.springsignalr.hub;

/**
 * A connection was ended because a timer ran out. Named after the .NET exception the reference
 * reports in the same situation, since detailed errors carry the simple class name.
 */
public class OperationCanceledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public OperationCanceledException(String message) {
		super(message);
	}
}
