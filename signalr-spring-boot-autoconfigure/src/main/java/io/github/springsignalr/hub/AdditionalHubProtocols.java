package io.github.springsignalr.hub;

import java.util.List;

import io.github.springsignalr.protocol.HubProtocol;

/**
 * Protocols some connections of a hub speak beside the ones its clients negotiate, such as the classic
 * ASP.NET SignalR 2 encoding of the hub's messages. A backplane serializes a message it sends to other
 * nodes in these too, so that every node can write it to its own connections of any protocol.
 */
@FunctionalInterface
public interface AdditionalHubProtocols {

	/**
	 * The additional protocols of a hub: the same instances its connections use (a message is then
	 * serialized once per protocol), empty when it has none.
	 * @param hubName the hub's name ({@code @Hub(name)} or its class's simple name)
	 */
	List<HubProtocol> forHub(String hubName);

}
