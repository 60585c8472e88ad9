package io.github.springsignalr.samples.racestatus.model;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One period under a flag.
 * @param flag the flag
 * @param start when it was shown
 * @param end when it was withdrawn ({@code null} while it is out)
 */
public record FlagDuration(@JsonProperty("f") Flags flag, @JsonProperty("s") Instant start,
		@JsonProperty("e") @Nullable Instant end) {
}
