package io.github.springsignalr.samples.racestatus.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * RedMist's V1 status ({@code Payload}): what {@code ReceiveMessage} carries, gzip-compressed and base64
 * encoded, as a full status; the guide's client applies JSON patches to it in between.
 * @param eventId event id
 * @param eventName event name, shown by the guide's dashboard
 * @param eventStatus the session line
 * @param eventEntries entries
 * @param eventEntryUpdates changed entries (unused by full statuses)
 * @param carPositions every car, in a fixed order for the whole session so that patch paths stay valid
 * @param carPositionUpdates changed cars (unused by full statuses)
 * @param flagDurations flag periods of the session
 * @param reset whether clients should drop what they have
 */
public record Payload(@JsonProperty("e") int eventId, @JsonProperty("n") String eventName,
		@JsonProperty("es") EventStatus eventStatus, @JsonProperty("ee") List<EventEntry> eventEntries,
		@JsonProperty("eeu") @Nullable List<EventEntry> eventEntryUpdates,
		@JsonProperty("cps") List<CarPosition> carPositions,
		@JsonProperty("cpu") @Nullable List<CarPosition> carPositionUpdates,
		@JsonProperty("fd") List<FlagDuration> flagDurations, @JsonProperty("r") boolean reset) {
}
