/**
 * RedMist's timing model as it travels to clients: the short JSON keys of
 * {@code RedMist.TimingCommon.Models} ({@code n}, {@code ovp}, {@code bt}, ...), flags as integers, times
 * as formatted strings.
 */
@NullMarked
package io.github.springsignalr.samples.racestatus.model;

import org.jspecify.annotations.NullMarked;
