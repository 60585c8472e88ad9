package io.github.springsignalr.hub;

/**
 * Creates the {@link HubLifetimeManager} of each hub. Declare a bean of this type to replace the
 * in-memory default (the Redis backplane does).
 */
@FunctionalInterface
public interface HubLifetimeManagerFactory {

	/** A lifetime manager for the hub with this name and class. */
	HubLifetimeManager create(String hubName, Class<?> hubClass);
}
