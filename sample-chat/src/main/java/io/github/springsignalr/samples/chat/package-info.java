/**
 * The chat sample application.
 */
@NullMarked
package io.github.springsignalr.samples.chat;

import org.jspecify.annotations.NullMarked;
