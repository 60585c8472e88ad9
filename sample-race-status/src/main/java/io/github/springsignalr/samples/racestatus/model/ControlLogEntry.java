package io.github.springsignalr.samples.racestatus.model;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of race control's log.
 * @param orderId order of the entry
 * @param timestamp when it was written
 * @param corner where it happened ("T3")
 * @param car1 first car involved
 * @param car1Highlighted whether the first car is at fault
 * @param car2 second car involved ("" when none)
 * @param car2Highlighted whether the second car is at fault
 * @param note what happened
 * @param status "Under Review", "Penalty", "No Action"
 * @param penaltyAction the penalty ("" until decided)
 * @param otherNotes anything else
 */
public record ControlLogEntry(@JsonProperty("o") int orderId, @JsonProperty("t") Instant timestamp,
		@JsonProperty("cor") String corner, @JsonProperty("c1") String car1, @JsonProperty("c1h") boolean car1Highlighted,
		@JsonProperty("c2") String car2, @JsonProperty("c2h") boolean car2Highlighted, @JsonProperty("n") String note,
		@JsonProperty("s") String status, @JsonProperty("a") String penaltyAction,
		@JsonProperty("on") String otherNotes) {
}
