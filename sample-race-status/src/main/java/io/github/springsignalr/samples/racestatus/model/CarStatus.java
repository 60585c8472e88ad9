package io.github.springsignalr.samples.racestatus.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A car as an in-car display shows it.
 * @param number car number
 * @param carClass class
 * @param team team
 * @param lastLap last lap, "m:ss.fff"
 * @param gainLoss last lap compared with the driver's car, "+0.412" or "-1.020" ("" for the driver's car)
 * @param gap gap to the driver's car ("" for the driver's car)
 * @param carType make and model
 * @param driver driver name
 * @param transponderId transponder
 * @param carImageUrl picture of the car ("" when none)
 */
public record CarStatus(@JsonProperty("n") String number, @JsonProperty("c") String carClass,
		@JsonProperty("t") String team, @JsonProperty("l") String lastLap, @JsonProperty("gl") String gainLoss,
		@JsonProperty("g") String gap, @JsonProperty("ct") String carType, @JsonProperty("d") String driver,
		@JsonProperty("id") long transponderId, @JsonProperty("i") String carImageUrl) {
}
