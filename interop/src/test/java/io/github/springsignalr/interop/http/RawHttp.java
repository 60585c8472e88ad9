package io.github.springsignalr.interop.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A plain TCP socket to the server for requests written byte by byte: what it reads, and when the
 * server closed it. Every read is bounded by the socket's timeout.
 */
final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	RawHttp(int port, Duration readTimeout) {
		try {
			this.socket = new Socket("localhost", port);
			this.socket.setSoTimeout((int) readTimeout.toMillis());
			this.in = this.socket.getInputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Writes text; false once the server has closed the connection. */
	boolean write(String text) {
		try {
			this.socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
			this.socket.getOutputStream().flush();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A response's head (status line and headers), or null when the server closed the connection first. */
	String readHead() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				return head.toString(StandardCharsets.ISO_8859_1);
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	/** Reads a response with a Content-Length: its head and body. */
	String readResponse() throws IOException {
		String head = readHead();
		int length = 0;
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		return head + new String(this.in.readNBytes(length), StandardCharsets.UTF_8);
	}

	/**
	 * Reads until the server closes the connection: what it sent, or null when it was still open when
	 * the socket's read timeout ran out.
	 */
	@Nullable String readUntilClosed() throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try {
			int b;
			while ((b = this.in.read()) >= 0) {
				received.write(b);
			}
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		catch (SocketException ex) {
			// reset by the server: closed as well
		}
		return received.toString(StandardCharsets.ISO_8859_1);
	}

	/** Whether the server kept the connection open for as long as {@code quiet} (reading what it sends meanwhile). */
	boolean staysOpen(Duration quiet) throws IOException {
		long deadline = System.nanoTime() + quiet.toNanos();
		try {
			while (true) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return true;
				}
				this.socket.setSoTimeout((int) left);
				if (this.in.read() < 0) {
					return false;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return true;
		}
		catch (SocketException ex) {
			return false;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}
}
