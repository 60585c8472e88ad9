package io.github.springsignalr.webflux;

import io.github.springsignalr.Hub;

/** A hub only authenticated callers may use ({@code signalr.hubs.SecretHub.authenticated=true}). */
@Hub(value = "/secret", name = "SecretHub")
class LegacySecretHub {

	public String whisper(String message) {
		return message;
	}
}
