/**
 * Hub features beyond the reference's test hub, driven by the official JavaScript client: client
 * results from the caller, typed client proxies and hub filters.
 */
@NullMarked
package io.github.springsignalr.interop.features;

import org.jspecify.annotations.NullMarked;
