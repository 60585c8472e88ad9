package io.github.springsignalr.samples.racestatus.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A car entered in an event.
 * @param number car number ("99x")
 * @param name driver or entry name
 * @param team team name
 * @param carClass class the car races in
 */
public record EventEntry(@JsonProperty("no") String number, @JsonProperty("nm") String name,
		@JsonProperty("t") String team, @JsonProperty("c") String carClass) {
}
