package io.github.springsignalr.interop;

import org.springframework.security.access.prepost.PreAuthorize;

import io.github.springsignalr.Hub;

/** The reference's {@code HubWithAuthorization}: a bearer token is required to negotiate and connect. */
@Hub(value = "/authorizedhub", name = "HubWithAuthorization")
@PreAuthorize("isAuthenticated()")
public class AuthorizedHub {

	public String echo(String message) {
		return message;
	}
}
