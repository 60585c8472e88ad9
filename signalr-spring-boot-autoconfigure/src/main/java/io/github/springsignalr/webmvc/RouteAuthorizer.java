package io.github.springsignalr.webmvc;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import io.github.springsignalr.connection.ConnectionRoute;

/**
 * Decides whether a servlet request may reach an endpoint (negotiate and every transport request). The
 * security integration implements it from Spring Security; without one every request is allowed.
 */
@FunctionalInterface
public interface RouteAuthorizer {

	/** Allows every request. */
	RouteAuthorizer PERMIT_ALL = (request, endpoint) -> null;

	/**
	 * @return {@code null} when the request may proceed; otherwise the status to answer with an empty body:
	 * {@code 401} without credentials, {@code 403} without permission
	 */
	@Nullable HttpStatus authorize(HttpServletRequest request, ConnectionRoute endpoint);
}
