package io.github.springsignalr.samples.racestatus.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The session line of the V1 payload ({@code es}).
 * @param eventId event id
 * @param flag current flag
 * @param lapsToGo estimated laps to go
 * @param timeToGo time to go, "HH:mm:ss"
 * @param localTimeOfDay track's time of day, "HH:mm:ss"
 * @param runningRaceTime time since the start, "HH:mm:ss"
 * @param practiceQualifying whether the session is practice or qualifying
 */
public record EventStatus(@JsonProperty("eid") String eventId, @JsonProperty("f") Flags flag,
		@JsonProperty("ltg") int lapsToGo, @JsonProperty("ttg") String timeToGo,
		@JsonProperty("tt") String localTimeOfDay, @JsonProperty("rt") String runningRaceTime,
		@JsonProperty("pq") boolean practiceQualifying) {
}
