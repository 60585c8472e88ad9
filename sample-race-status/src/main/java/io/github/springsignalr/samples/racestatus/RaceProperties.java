package io.github.springsignalr.samples.racestatus;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the race status sample ({@code race.*}).
 * @param simulator the race simulator
 * @param security bearer tokens
 * @param accessCodes access codes of private events, by event id
 */
@ConfigurationProperties("race")
public record RaceProperties(@DefaultValue Simulator simulator, @DefaultValue Security security,
		@Nullable Map<Integer, String> accessCodes) {

	/** Access code of an event, {@code null} for a public one. */
	@Nullable String accessCode(int eventId) {
		return (this.accessCodes != null) ? this.accessCodes.get(eventId) : null;
	}

	/**
	 * The race simulator.
	 * @param enabled whether this node runs the races (one node of a cluster does)
	 * @param speed how much faster than real time races run
	 * @param tick how often the simulation moves on; changes within one tick go out as one patch
	 * @param fullStatusInterval how often every subscriber gets a full status
	 * @param headStart race time already run when the application starts, so that there is something to see
	 */
	public record Simulator(@DefaultValue("true") boolean enabled, @DefaultValue("5") double speed,
			@DefaultValue("20ms") Duration tick, @DefaultValue("30s") Duration fullStatusInterval,
			@DefaultValue("10m") Duration headStart) {
	}

	/**
	 * Bearer tokens.
	 * @param jwtSecret HS256 key of the tokens (at least 32 bytes); a random one when unset
	 * @param devTokens whether {@code /dev/token} issues tokens to anyone (development only)
	 * @param devTokenValidity how long an issued token is valid
	 */
	public record Security(@Nullable String jwtSecret, @DefaultValue("false") boolean devTokens,
			@DefaultValue("8h") Duration devTokenValidity) {
	}
}
