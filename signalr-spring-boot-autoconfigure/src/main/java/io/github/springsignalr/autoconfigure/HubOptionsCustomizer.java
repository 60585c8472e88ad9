package io.github.springsignalr.autoconfigure;

import io.github.springsignalr.hub.HubOptions;

/**
 * Sets a hub's options in code, as ASP.NET Core's {@code AddHubOptions<THub>} does: every bean of this
 * type is called, in order, for each hub with the options that the {@code signalr.hub.*} and
 * {@code signalr.hubs.<name>.*} properties give it, and returns the options the hub runs with.
 * <pre>{@code
 * @Bean
 * HubOptionsCustomizer chatOptions() {
 *     return (name, type, options) -> (type == ChatHub.class)
 *             ? options.withMaximumReceiveMessageSize(64 * 1024).withEnableDetailedErrors(true)
 *             : options;
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HubOptionsCustomizer {

	/**
	 * The options of one hub.
	 * @param hubName the hub's name ({@code @Hub(name)} or its class's simple name)
	 * @param hubType the hub's class
	 * @param options its options so far
	 * @return the options it runs with ({@code options} when nothing changes)
	 */
	HubOptions customize(String hubName, Class<?> hubType, HubOptions options);
}
