package io.github.springsignalr.connection;

/** A client did not read fast enough and its outbound buffer filled up; the connection is closed. */
public class OutboundBufferOverflowException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public OutboundBufferOverflowException(long limit) {
		super("The client did not read its messages and the outbound buffer of " + limit + " bytes overflowed.");
	}
}
