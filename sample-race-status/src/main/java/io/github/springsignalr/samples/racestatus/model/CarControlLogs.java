package io.github.springsignalr.samples.racestatus.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Control log entries of one car, or of the whole event when {@code carNumber} is empty.
 * @param carNumber the car, "" for the event's full log
 * @param entries the entries, oldest first
 */
public record CarControlLogs(@JsonProperty("cn") String carNumber,
		@JsonProperty("entries") List<ControlLogEntry> entries) {
}
