package io.github.springsignalr.autoconfigure;

import java.time.Duration;

/**
 * HTTP/1.1 read limits of the Reactor Netty server (Kestrel's defaults), for every request that is
 * not an upgraded WebSocket or a response being streamed (Server-Sent Events, a held long poll). A
 * zero turns a limit off.
 *
 * <p>The {@code signalr.http.*} group of {@link SignalRProperties}.
 */
public class SignalRHttpProperties {

	/**
	 * Longest time a connection stays open without a request.
	 */
	private Duration keepAliveTimeout = Duration.ofSeconds(130);

	/**
	 * Longest time from a request's first byte to the end of its headers; a request over it gets 408.
	 */
	private Duration requestHeadersTimeout = Duration.ofSeconds(30);

	/**
	 * Fewest request body bytes per second, averaged since the headers; a slower body gets 408.
	 */
	private long minRequestBodyDataRate = 240;

	/**
	 * Time a request body is given before its data rate is checked.
	 */
	private Duration minRequestBodyDataRateGracePeriod = Duration.ofSeconds(5);

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public void setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = keepAliveTimeout;
	}

	public Duration getRequestHeadersTimeout() {
		return this.requestHeadersTimeout;
	}

	public void setRequestHeadersTimeout(Duration requestHeadersTimeout) {
		this.requestHeadersTimeout = requestHeadersTimeout;
	}

	public long getMinRequestBodyDataRate() {
		return this.minRequestBodyDataRate;
	}

	public void setMinRequestBodyDataRate(long minRequestBodyDataRate) {
		this.minRequestBodyDataRate = minRequestBodyDataRate;
	}

	public Duration getMinRequestBodyDataRateGracePeriod() {
		return this.minRequestBodyDataRateGracePeriod;
	}

	public void setMinRequestBodyDataRateGracePeriod(Duration minRequestBodyDataRateGracePeriod) {
		this.minRequestBodyDataRateGracePeriod = minRequestBodyDataRateGracePeriod;
	}

}
