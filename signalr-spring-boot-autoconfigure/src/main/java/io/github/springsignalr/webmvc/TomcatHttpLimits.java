package io.github.springsignalr.webmvc;

import java.time.Duration;

import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * {@code signalr.http.*} (Kestrel's HTTP/1.1 read limits) on Tomcat's connector, as far as Tomcat has
 * them: the keep-alive timeout is Tomcat's own; the request headers timeout becomes Tomcat's connection
 * timeout, which bounds the wait for the request line and for each read of the headers and of a blocking
 * body, not the whole of the headers; the minimum request body data rate has no Tomcat equivalent and is
 * not enforced (a line at INFO says so at startup). Upgraded WebSockets, event streams and held
 * long polls are asynchronous and not cut by either. A zero turns a limit off. Tomcat's own
 * {@code server.tomcat.keep-alive-timeout} and {@code server.tomcat.connection-timeout}, when set, win.
 */
public final class TomcatHttpLimits implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	private static final Log logger = LogFactory.getLog(TomcatHttpLimits.class);

	private final Duration keepAliveTimeout;

	private final Duration requestHeadersTimeout;

	private final long minRequestBodyDataRate;

	private final Duration minRequestBodyDataRateGracePeriod;

	public TomcatHttpLimits(Duration keepAliveTimeout, Duration requestHeadersTimeout, long minRequestBodyDataRate,
			Duration minRequestBodyDataRateGracePeriod) {
		this.keepAliveTimeout = keepAliveTimeout;
		this.requestHeadersTimeout = requestHeadersTimeout;
		this.minRequestBodyDataRate = minRequestBodyDataRate;
		this.minRequestBodyDataRateGracePeriod = minRequestBodyDataRateGracePeriod;
	}

	/** Before Spring Boot's customizer (order 0), whose {@code server.tomcat.*} settings then win. */
	@Override
	public int getOrder() {
		return -1;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(this::customize);
		logger.info(unmapped());
	}

	private void customize(Connector connector) {
		if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
			protocol.setKeepAliveTimeout(millis(this.keepAliveTimeout));
			protocol.setConnectionTimeout(millis(this.requestHeadersTimeout));
		}
	}

	/** Tomcat's value of a timeout: {@code -1} (none) for zero. */
	private static int millis(Duration timeout) {
		return (timeout.isZero() || timeout.isNegative()) ? -1 : (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
	}

	/** What Tomcat does not enforce as the Reactor Netty server does, for the startup log. */
	String unmapped() {
		String rate = (this.minRequestBodyDataRate > 0)
				? "signalr.http.min-request-body-data-rate=" + this.minRequestBodyDataRate + " (bytes/s, after "
						+ this.minRequestBodyDataRateGracePeriod.toMillis() + " ms) has no Tomcat equivalent and is "
						+ "not enforced: a request body that stalls is cut by the connection timeout, a slow one is not; "
				: "";
		return "SignalR on Tomcat: " + rate + "signalr.http.request-headers-timeout="
				+ this.requestHeadersTimeout.toMillis() + " ms is Tomcat's connection timeout, which bounds each read "
				+ "of a request (the wait for its request line, its headers, a blocking body), not the whole of its "
				+ "headers, and is answered by closing the connection rather than 408; "
				+ "signalr.http.keep-alive-timeout=" + this.keepAliveTimeout.toMillis() + " ms is Tomcat's "
				+ "keep-alive timeout. signalr.maximum-connections limits SignalR connections (503 past it), not "
				+ "Tomcat's sockets (server.tomcat.max-connections).";
	}
}
