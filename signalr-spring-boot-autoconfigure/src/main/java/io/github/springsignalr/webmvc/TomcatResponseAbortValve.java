package io.github.springsignalr.webmvc;

import java.io.IOException;
import java.util.function.Predicate;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Gives SignalR's requests on Tomcat a way to abort their response, which the servlet API lacks: a
 * Server-Sent Events stream whose client stopped reading holds the container's buffers, and neither
 * completing the request nor closing its output ends it until Tomcat's own write timeout (a minute by
 * default). The valve puts a {@link Runnable} on each request to a hub path, under
 * {@link #ATTRIBUTE}, that closes the connection at once the way Tomcat does after an I/O error; the
 * transport runs it when the connection's close timeout has passed (or drops a response its client does
 * not read); it does nothing once the request is over. Registered on the context by the
 * auto-configuration when the application runs on Tomcat.
 */
public final class TomcatResponseAbortValve extends ValveBase {

	/** The request attribute holding the abort. */
	public static final String ATTRIBUTE = TomcatResponseAbortValve.class.getName() + ".abort";

	private final Predicate<String> signalRPath;

	/**
	 * @param signalRPath whether a request path (without the context path) is that of a hub
	 */
	public TomcatResponseAbortValve(Predicate<String> signalRPath) {
		super(true);
		this.signalRPath = signalRPath;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		if (uri != null && this.signalRPath.test((contextPath != null) ? uri.substring(contextPath.length()) : uri)) {
			request.setAttribute(ATTRIBUTE, new Runnable() {
				@Override
				public void run() {
					// Tomcat recycles a request's objects for the next one: once this request is over (its
					// attributes cleared), the abort would close another request's connection
					if (request.getAttribute(ATTRIBUTE) == this) {
						response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
					}
				}
			});
		}
		getNext().invoke(request, response);
	}
}
