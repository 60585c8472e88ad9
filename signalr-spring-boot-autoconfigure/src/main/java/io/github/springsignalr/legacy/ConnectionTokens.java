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
 * HMAC-SHA256-signed with a server secret (per process unless configured), base64url. A token that does
 * not verify is refused with the reference's text; one of another user with its 403 text.
 */
public final class ConnectionTokens {

	static final String INCORRECT_FORMAT = "The ConnectionId is in the incorrect format.";

	static final String OTHER_USER = "Unrecognized user identity.  The user identity cannot change during an active"
			+ " SignalR connection.";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	/** Tokens signed with {@code secret}, e.g. one shared by the nodes of a cluster. */
	public ConnectionTokens(byte[] secret) {
		this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
	}

	/** Tokens signed with a random secret of this process. */
	public static ConnectionTokens random() {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		return new ConnectionTokens(secret);
	}

	/** The token of a connection of {@code userName} (empty when anonymous). */
	public String create(String connectionId, String userName) {
		byte[] payload = (connectionId + ":" + userName).getBytes(StandardCharsets.UTF_8);
		return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
	}

	/**
	 * The connection id inside a token, after checking its signature and its user.
	 * @param userName the current user's name, empty when anonymous
	 * @throws LegacyRequestException 400 when the token is not one of ours, 403 for another user's token
	 */
	public String connectionId(String token, String userName) {
		int dot = token.indexOf('.');
		byte[] payload;
		byte[] signature;
		try {
			payload = DECODER.decode(token.substring(0, Math.max(dot, 0)));
			signature = DECODER.decode(token.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			throw LegacyRequestException.badRequest(INCORRECT_FORMAT);
		}
		if (dot < 0 || !MessageDigest.isEqual(mac(payload), signature)) {
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

	private byte[] mac(byte[] payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(payload);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}
}
