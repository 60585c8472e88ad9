package io.github.springsignalr.legacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Connection tokens of the classic ASP.NET SignalR 2 protocol: the connection id and the user name,
 * HMAC-SHA256-signed with a server secret (per process unless configured), base64url, after the issuing
 * node's id when the application runs on several nodes. A token that does not verify is refused with the
 * reference's text; one of another user with its 403 text.
 */
public final class ConnectionTokens {

	static final String INCORRECT_FORMAT = "The ConnectionId is in the incorrect format.";

	static final String OTHER_USER = "Unrecognized user identity.  The user identity cannot change during an active"
			+ " SignalR connection.";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	private final String nodePrefix;

	/** Tokens signed with {@code secret}, e.g. one shared by the nodes of a cluster. */
	public ConnectionTokens(byte[] secret) {
		this(secret, null);
	}

	/**
	 * Tokens signed with {@code secret} that start with the id of the node that issued them,
	 * {@code <nodeId>.<payload>.<signature>}, so that a request landing on another node of a cluster is
	 * forwarded to the node owning the connection. The node id is signed too.
	 * @param nodeId this node's id (no {@code .}); {@code null} for tokens without one
	 */
	public ConnectionTokens(byte[] secret, @Nullable String nodeId) {
		if (nodeId != null && (nodeId.isEmpty() || nodeId.indexOf('.') >= 0)) {
			throw new IllegalArgumentException("A node id is not empty and has no '.': " + nodeId);
		}
		this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
		this.nodePrefix = (nodeId != null) ? nodeId + "." : "";
	}

	/** Tokens signed with a random secret of this process. */
	public static ConnectionTokens random() {
		return random(null);
	}

	/** Tokens signed with a random secret of this process, starting with this node's id (if any). */
	public static ConnectionTokens random(@Nullable String nodeId) {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		return new ConnectionTokens(secret, nodeId);
	}

	/** The token of a connection of {@code userName} (empty when anonymous). */
	public String create(String connectionId, String userName) {
		byte[] payload = (connectionId + ":" + userName).getBytes(StandardCharsets.UTF_8);
		return this.nodePrefix + ENCODER.encodeToString(payload) + "."
				+ ENCODER.encodeToString(mac(this.nodePrefix, payload));
	}

	/**
	 * The connection id inside a token, after checking its signature and its user.
	 * @param userName the current user's name, empty when anonymous
	 * @throws LegacyRequestException 400 when the token is not one of ours, 403 for another user's token
	 */
	public String connectionId(String token, String userName) {
		int dot = token.lastIndexOf('.');
		int nodeDot = (dot > 0) ? token.lastIndexOf('.', dot - 1) : -1;
		String nodePrefix = token.substring(0, nodeDot + 1);
		byte[] payload;
		byte[] signature;
		try {
			payload = DECODER.decode(token.substring(nodeDot + 1, Math.max(dot, nodeDot + 1)));
			signature = DECODER.decode(token.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			throw LegacyRequestException.badRequest(INCORRECT_FORMAT);
		}
		if (dot < 0 || !MessageDigest.isEqual(mac(nodePrefix, payload), signature)) {
			throw LegacyRequestException.badRequest(INCORRECT_FORMAT);
		}
		String text = new String(payload, StandardCharsets.UTF_8);
		int colon = text.indexOf(':');
		if (colon <= 0) {
			throw LegacyRequestException.badRequest(INCORRECT_FORMAT);
		}
		String tokenUser = text.substring(colon + 1);
		if (!tokenUser.toLowerCase(Locale.ROOT).equals(userName.toLowerCase(Locale.ROOT))) {
			throw new LegacyRequestException(403, OTHER_USER);
		}
		return text.substring(0, colon);
	}

	/** The name a token binds for a principal's name: empty when anonymous. */
	public static String userName(@Nullable String principalName) {
		return (principalName != null) ? principalName : "";
	}

	private byte[] mac(String nodePrefix, byte[] payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			mac.update(nodePrefix.getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(payload);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}
}
