package io.github.springsignalr.samples.racestatus.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a driver's display shows ({@code ReceiveInCarUpdateV2}).
 * @param carNumber the driver's car
 * @param positionInClass class position
 * @param positionOverall overall position
 * @param flag current flag
 * @param cars the car ahead in class, the car ahead out of class, the driver's car and the car behind in
 * class, {@code null} where there is none
 */
public record InCarPayload(@JsonProperty("n") String carNumber, @JsonProperty("p") String positionInClass,
		@JsonProperty("o") String positionOverall, @JsonProperty("f") Flags flag,
		@JsonProperty("c") List<@Nullable CarStatus> cars) {
}
