/**
 * Spring Security integration: the principal of every connection, bearer tokens from the
 * {@code access_token} query parameter, hub-level authorization of negotiate and every transport request,
 * and method-level authorization from {@code @PreAuthorize}, {@code @Secured}, {@code @RolesAllowed},
 * {@code @PermitAll} and {@code @DenyAll}. It plugs into the layers below through their extension points
 * (a web filter, the endpoint authorizer, a {@link io.github.springsignalr.HubFilter}); nothing below it
 * knows Spring Security.
 */
@NullMarked
package io.github.springsignalr.security;

import org.jspecify.annotations.NullMarked;
