/**
 * The race status sample application: RedMist's StatusHub on the SignalR starter, fed by a race
 * simulator.
 */
@NullMarked
package io.github.springsignalr.samples.racestatus;

import org.jspecify.annotations.NullMarked;
