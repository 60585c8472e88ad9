package io.github.springsignalr.cluster;

import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * What every web stack's forwarding of transport requests shares: which request belongs to a connection
 * owned by another node, which of its headers travel to the owner, and the answers when the owner cannot
 * be reached. The stacks (WebFlux's web filter, the servlet filter) only read their requests and relay
 * the bytes.
 *
 * <p>A transport request is a {@code GET}, {@code POST} or {@code DELETE} on an endpoint's path with a
 * connection token: the {@code id} query parameter, the {@value #CONNECTION_TOKEN_HEADER} header of an
 * authentication refresh ({@code POST {path}/refresh}), or the {@code connectionToken} of the classic
 * ASP.NET SignalR 2 endpoint. Tokens are {@code <nodeId>.<random>}: when the node id is not this node's,
 * the request goes to the owner. Negotiate never does (the node that receives it owns the new
 * connection), nor a request already marked {@value #FORWARDED_BY}.
 */
public final class RequestForwarding {

	/** The header that marks a forwarded request; its value is the forwarding node's id. */
	public static final String FORWARDED_BY = "X-SignalR-Forwarded-By";

	/** The header the 11.x clients send the connection token of an authentication refresh in. */
	public static final String CONNECTION_TOKEN_HEADER = "X-SignalR-Connection-Token";

	/** The answer (404) when the owner is unknown or cannot be reached, the reference's unknown token text. */
	public static final String NOT_FOUND = "No Connection with that ID";

	/** The answer (503) when the owner cannot be looked up now. */
	public static final String UNAVAILABLE = "The node owning the connection cannot be looked up now";

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

	private static final Set<String> WEBSOCKET_HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
			"sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept", "content-length");

	private final NodeDirectory directory;

	private final Predicate<String> transportPath;

	/**
	 * @param transportPath whether a path (within the application) is that of an endpoint's transports
	 */
	public RequestForwarding(NodeDirectory directory, Predicate<String> transportPath) {
		this.directory = directory;
		this.transportPath = transportPath;
	}

	/** Where the nodes are. */
	public NodeDirectory directory() {
		return this.directory;
	}

	/**
	 * The node owning the connection of a transport request when it is not this node, else {@code null}
	 * (the request is served here).
	 * @param method the request's method
	 * @param path the request's path within the application
	 * @param id the {@code id} query parameter
	 * @param tokenHeader the {@value #CONNECTION_TOKEN_HEADER} header
	 * @param classicToken the classic endpoint's {@code connectionToken} query parameter
	 * @param forwarded whether the request carries {@value #FORWARDED_BY}
	 */
	public @Nullable String foreignOwner(String method, String path, @Nullable String id,
			@Nullable String tokenHeader, @Nullable String classicToken, boolean forwarded) {
		if (forwarded || !("GET".equals(method) || "POST".equals(method) || "DELETE".equals(method))) {
			return null;
		}
		String token = (id != null) ? id : (tokenHeader != null) ? tokenHeader : classicToken;
		if (token == null) {
			return null;
		}
		int dot = token.indexOf('.');
		if (dot <= 0) {
			return null;
		}
		String owner = token.substring(0, dot);
		if (owner.equals(this.directory.localNodeId())) {
			return null;
		}
		if (path.toLowerCase(Locale.ROOT).endsWith("/negotiate") || !this.transportPath.test(path)) {
			return null;
		}
		return owner;
	}

	/**
	 * Whether a header of the client's request (or of the owner's response) travels on: every end-to-end
	 * header, {@code Host}, {@code Authorization} and cookies included, so that the owner authorizes the
	 * request as if it had received it; never the hop-by-hop ones, nor a WebSocket's handshake headers
	 * (the forwarding node makes its own handshake).
	 */
	public static boolean forwards(String header, boolean webSocket) {
		String lower = header.toLowerCase(Locale.ROOT);
		return !HOP_BY_HOP.contains(lower) && !(webSocket && WEBSOCKET_HANDSHAKE.contains(lower));
	}

	/**
	 * The close status to pass on to one side of a relayed WebSocket when the other closed with
	 * {@code status}: the codes that never travel in a close frame become their nearest sendable one.
	 */
	public static int relayedCloseStatus(int status) {
		return switch (status) {
			case 1005 -> 1000;
			case 1006, 1015 -> 1011;
			default -> status;
		};
	}
}
