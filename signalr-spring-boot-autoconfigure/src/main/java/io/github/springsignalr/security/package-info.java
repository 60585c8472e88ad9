/**
 * Spring Security integration: the principal of every connection, bearer tokens from the
 * {@code access_token} query parameter, hub- and method-level authorization from
 * {@code @PreAuthorize}, {@code @Secured}, {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll}.
 */
@NullMarked
package io.github.springsignalr.security;

import org.jspecify.annotations.NullMarked;
