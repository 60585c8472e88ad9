package io.github.springsignalr.actuate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import io.github.springsignalr.Connection;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionFeatures;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.connection.HttpConnection;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.HubConnectionHandler;
import io.github.springsignalr.connection.SignalRRouteRegistry;

/**
 * The {@code signalr} Actuator endpoint: the hubs and connection handlers of this node with their
 * paths, transports and protocols, and per endpoint the number of connections by transport and by
 * protocol and the number of groups. Connection ids and user names appear only when
 * {@code management.endpoint.signalr.show-details} allows it; group names never do. With a
 * {@link MessageCounts} (the auto-configuration gives one when Micrometer records the SignalR meters), each
 * hub also shows the messages and bytes it received and sent since the start, from which a reader derives
 * rates.
 */
@Endpoint(id = "signalr")
public class SignalREndpoint {

	private final SignalRRouteRegistry registry;

	private final Show showDetails;

	private final Set<String> roles;

	private final MessageCounts messageCounts;

	/**
	 * @param showDetails when to list the connections one by one
	 * @param roles the roles that may see them under {@link Show#WHEN_AUTHORIZED} (any authenticated user
	 * when empty)
	 */
	public SignalREndpoint(SignalRRouteRegistry registry, Show showDetails, Set<String> roles) {
		this(registry, showDetails, roles, MessageCounts.NONE);
	}

	/**
	 * @param showDetails when to list the connections one by one
	 * @param roles the roles that may see them under {@link Show#WHEN_AUTHORIZED} (any authenticated user
	 * when empty)
	 * @param messageCounts where the hubs' message totals come from
	 */
	public SignalREndpoint(SignalRRouteRegistry registry, Show showDetails, Set<String> roles,
			MessageCounts messageCounts) {
		this.registry = registry;
		this.showDetails = showDetails;
		this.roles = Set.copyOf(roles);
		this.messageCounts = messageCounts;
	}

	@ReadOperation
	public SignalRDescriptor signalr(SecurityContext securityContext) {
		boolean details = this.showDetails.isShown(securityContext, this.roles);
		Map<String, EndpointDescriptor> hubs = new TreeMap<>();
		Map<String, EndpointDescriptor> handlers = new TreeMap<>();
		List<ConnectionRoute> endpoints = new ArrayList<>(this.registry.endpoints());
		endpoints.sort(Comparator.comparing(ConnectionRoute::path));
		for (ConnectionRoute endpoint : endpoints) {
			boolean hub = endpoint.handler() instanceof HubConnectionHandler;
			MessageTotals messages = hub ? this.messageCounts.totals(endpoint.name()) : null;
			(hub ? hubs : handlers).put(endpoint.name(), describe(endpoint, details, messages));
		}
		return new SignalRDescriptor(hubs, handlers);
	}

	private static EndpointDescriptor describe(ConnectionRoute endpoint, boolean details,
			@Nullable MessageTotals messages) {
		Map<String, Integer> byTransport = new TreeMap<>();
		Map<String, Integer> byProtocol = new TreeMap<>();
		Set<String> groups = new HashSet<>();
		List<ConnectionDescriptor> connections = details ? new ArrayList<>() : null;
		int count = 0;
		for (HttpConnection connection : endpoint.connections()) {
			count++;
			count(connection, connection.transportOrNull(), connection.handlerState(), byTransport, byProtocol, groups,
					connections);
		}
		// the classic ASP.NET SignalR 2 connections of the hub or persistent connection endpoint
		for (Connection connection : endpoint.otherConnections()) {
			ConnectionFeatures.HandlerState state = connection.feature(ConnectionFeatures.HandlerState.class);
			count++;
			count(connection, connection.transport(), (state != null) ? state.handlerState() : null, byTransport,
					byProtocol, groups, connections);
		}
		int groupCount = (endpoint.handler() instanceof HubConnectionHandler) ? groups.size() : endpoint.groupCount();
		List<String> transports = endpoint.options().transports().stream().map(TransportType::wireName).toList();
		List<String> protocols = (endpoint.handler() instanceof HubConnectionHandler handler) ? handler.protocolNames()
				: List.of();
		return new EndpointDescriptor(endpoint.path(), transports, protocols, count, byTransport, byProtocol,
				groupCount, messages, connections);
	}

	private static void count(Connection connection, @Nullable TransportType transport, @Nullable Object handlerState,
			Map<String, Integer> byTransport, Map<String, Integer> byProtocol, Set<String> groups,
			@Nullable List<ConnectionDescriptor> connections) {
		String transportName = (transport != null) ? transport.wireName() : "None";
		String protocol = null;
		byTransport.merge(transportName, 1, Integer::sum);
		if (handlerState instanceof HubConnectionContext context) {
			protocol = (context.protocol() != null) ? context.protocol().name() : null;
			byProtocol.merge((protocol != null) ? protocol : "none", 1, Integer::sum);
			groups.addAll(context.groupNames());
		}
		if (connections != null) {
			String user = (connection.user() != null) ? connection.user().getName() : null;
			connections.add(new ConnectionDescriptor(connection.id(), transportName, protocol, user));
		}
	}

	/**
	 * What the endpoint shows.
	 * @param hubs the hubs by name
	 * @param connectionHandlers the endpoints of the raw connection API by bean name
	 */
	public record SignalRDescriptor(Map<String, EndpointDescriptor> hubs,
			Map<String, EndpointDescriptor> connectionHandlers) {
	}

	/**
	 * One hub or connection handler.
	 * @param path the path it is mapped to
	 * @param transports the transports it accepts
	 * @param protocols the hub protocols it offers (none for a connection handler)
	 * @param connections the number of its connections on this node
	 * @param connectionsByTransport the number of connections per transport
	 * @param connectionsByProtocol the number of connections per hub protocol ({@code none} before the handshake)
	 * @param groups the number of groups with members on this node
	 * @param messages the hub's messages since the start, when they are counted (never for a connection handler)
	 * @param connectionDetails the connections one by one, when details are shown
	 */
	public record EndpointDescriptor(String path, List<String> transports, List<String> protocols, int connections,
			Map<String, Integer> connectionsByTransport, Map<String, Integer> connectionsByProtocol, int groups,
			@Nullable MessageTotals messages, @Nullable List<ConnectionDescriptor> connectionDetails) {
	}

	/**
	 * The hub messages of one hub on this node since the start, over all its connections, transports and
	 * protocols.
	 * @param received the messages received from clients
	 * @param sent the messages sent to clients
	 * @param receivedBytes the bytes received from clients after the handshake
	 * @param sentBytes the bytes of the messages sent to clients
	 */
	public record MessageTotals(long received, long sent, long receivedBytes, long sentBytes) {
	}

	/** Where the endpoint reads the message totals of a hub from. */
	@FunctionalInterface
	public interface MessageCounts {

		/** Counts nothing: the endpoint shows no message totals. */
		MessageCounts NONE = (hub) -> null;

		/**
		 * @param hub the hub's name
		 * @return its totals, or {@code null} when its messages are not counted
		 */
		@Nullable MessageTotals totals(String hub);
	}

	/**
	 * One connection, shown only with details.
	 * @param id the connection id
	 * @param transport the transport it uses
	 * @param protocol its hub protocol, {@code null} before the handshake or for a connection handler
	 * @param user the name of its user, if authenticated
	 */
	public record ConnectionDescriptor(String id, String transport, @Nullable String protocol, @Nullable String user) {
	}
}
