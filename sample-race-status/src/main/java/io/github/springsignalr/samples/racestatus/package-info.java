/**
 * The race status sample application.
 */
@NullMarked
package io.github.springsignalr.samples.racestatus;

import org.jspecify.annotations.NullMarked;
