package io.github.springsignalr;

/** {@link HubClients} seen from the connection that invoked a hub method. */
public interface HubCallerClients extends HubClients {

	/** The calling connection. */
	SingleClientProxy caller();

	/** Every connection except the caller. */
	ClientProxy others();

	/** Every connection of a group except the caller. */
	ClientProxy othersInGroup(String groupName);
}
