package io.github.springsignalr.legacy;

/**
 * A request the classic ASP.NET SignalR 2 endpoint refuses, with the reference's status and text, which
 * the web layer answers as a plain-text body.
 */
public final class LegacyRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	public LegacyRequestException(int status, String text) {
		super(text, null, false, false);
		this.status = status;
	}

	/** The HTTP status to answer with. */
	public int status() {
		return this.status;
	}

	static LegacyRequestException badRequest(String text) {
		return new LegacyRequestException(400, text);
	}
}
