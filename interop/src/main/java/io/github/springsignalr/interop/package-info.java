/**
 * The interop (conformance) server of {@code INTEROP-CONTRACT.md}.
 */
@NullMarked
package io.github.springsignalr.interop;

import org.jspecify.annotations.NullMarked;
