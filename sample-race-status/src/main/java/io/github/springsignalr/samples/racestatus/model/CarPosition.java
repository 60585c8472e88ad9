package io.github.springsignalr.samples.racestatus.model;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One car's timing line, with RedMist's short keys (every JSON member of RedMist's {@code CarPosition}
 * but the retired {@code hg}). The simulation fills timing, positions, gaps, pit and penalty fields; it
 * has no telemetry, video or track sections, so those are {@code null}, {@code false} or empty.
 * @param eventId event id
 * @param sessionId session id
 * @param number car number ("99x")
 * @param transponderId transponder
 * @param carClass class
 * @param bestTime best lap, "HH:mm:ss.fff"
 * @param bestLap lap of the best time
 * @param bestTimeOverall whether the best time is the session's best
 * @param bestTimeInClass whether the best time is the class's best
 * @param inClassGap gap to the class leader ("" for the leader, "2 laps" when lapped)
 * @param inClassDifference gap to the car ahead in class
 * @param overallGap gap to the overall leader
 * @param overallDifference gap to the car ahead
 * @param totalTime time since the start at the last crossing, "HH:mm:ss.fff"
 * @param lastLapTime last lap, "HH:mm:ss.fff"
 * @param lastLapCompleted laps completed
 * @param pitStopCount pit stops
 * @param lapsLedOverall laps led overall
 * @param lapsLedInClass laps led in class
 * @param overallPosition overall position
 * @param classPosition class position
 * @param overallStartingPosition grid position
 * @param inClassStartingPosition grid position in class
 * @param overallPositionsGained positions gained since the start
 * @param inClassPositionsGained class positions gained since the start
 * @param penaltyLaps penalty laps
 * @param penaltyWarnings warnings
 * @param blackFlags black flags
 * @param enteredPit whether the car entered the pit lane on this lap
 * @param exitedPit whether the car left the pit lane on its last crossing
 * @param inPit whether the car is in the pit lane
 * @param lapIncludedPit whether the last lap included a pit stop
 * @param lastLoopName last timing loop crossed
 * @param stale whether the data is old
 * @param trackFlag the flag the car runs under
 * @param driverName driver
 * @param driverId driver id
 * @param currentStatus "Active", "In Pits", "Finished"
 * @param pitDurationMs duration of the last pit stop
 * @param projectedLapTimeMs the lap time the car is on course for
 * @param signalBars in-car signal (0-5; {@code null}: no device)
 * @param overallMostPositionsGained whether the car gained the most positions overall
 * @param inClassMostPositionsGained whether the car gained the most positions in its class
 * @param pitStartFinish whether the car crossed the start/finish line in the pit lane
 * @param localFlag the flag at the car's place on the track
 * @param localHasLocalFlag whether a flag station shows the car a local flag ({@code null}: unknown)
 * @param completedSections track sections completed on this lap
 * @param lapStartTime time of day the lap started, "HH:mm:ss.fff"
 * @param videoStatus in-car video ({@code null}: none)
 * @param latitude GPS position ({@code null}: no telemetry)
 * @param longitude GPS position ({@code null}: no telemetry)
 * @param impactWarning whether the car reported an impact
 * @param fastestAveragePaceInClass whether the car has the best average lap of its class
 * @param temperature ambient temperature reported by the car
 * @param precipitation rain reported by the car
 * @param speed speed in mph
 * @param pitEntryTime when the car entered the pit lane ({@code null}: not in it)
 * @param speedViolation whether the car broke the pit lane speed limit
 * @param pitSpeedEnforced whether the pit lane speed limit is enforced
 * @param flaggingZone the flagging zone the car is in
 * @param driverSource where the driver's name comes from
 * @param inClassGapFastestTime gap to the fastest best lap of the class
 * @param inClassDifferenceFastestTime gap to the next better best lap in class
 * @param overallGapFastestTime gap to the fastest best lap
 * @param overallDifferenceFastestTime gap to the next better best lap
 * @param lapPositionPercent how far around the lap the car is (0-1; {@code null}: no telemetry)
 */
public record CarPosition(@JsonProperty("eid") String eventId, @JsonProperty("sid") String sessionId,
		@JsonProperty("n") String number, @JsonProperty("tp") long transponderId,
		@JsonProperty("class") String carClass, @JsonProperty("bt") String bestTime, @JsonProperty("bl") int bestLap,
		@JsonProperty("ibt") boolean bestTimeOverall, @JsonProperty("btc") boolean bestTimeInClass,
		@JsonProperty("cg") String inClassGap, @JsonProperty("cd") String inClassDifference,
		@JsonProperty("og") String overallGap, @JsonProperty("od") String overallDifference,
		@JsonProperty("ttm") String totalTime, @JsonProperty("ltm") String lastLapTime,
		@JsonProperty("llp") int lastLapCompleted, @JsonProperty("psc") int pitStopCount,
		@JsonProperty("llo") int lapsLedOverall, @JsonProperty("llic") int lapsLedInClass,
		@JsonProperty("ovp") int overallPosition, @JsonProperty("clp") int classPosition,
		@JsonProperty("osp") int overallStartingPosition, @JsonProperty("icsp") int inClassStartingPosition,
		@JsonProperty("opg") int overallPositionsGained, @JsonProperty("cpg") int inClassPositionsGained,
		@JsonProperty("pl") int penaltyLaps, @JsonProperty("pw") int penaltyWarnings,
		@JsonProperty("bf") int blackFlags, @JsonProperty("enp") boolean enteredPit,
		@JsonProperty("exp") boolean exitedPit, @JsonProperty("ip") boolean inPit,
		@JsonProperty("lip") boolean lapIncludedPit, @JsonProperty("ln") String lastLoopName,
		@JsonProperty("st") boolean stale, @JsonProperty("flg") Flags trackFlag,
		@JsonProperty("dn") String driverName, @JsonProperty("did") String driverId,
		@JsonProperty("mcs") String currentStatus, @JsonProperty("pdm") @Nullable Integer pitDurationMs,
		@JsonProperty("plt") int projectedLapTimeMs, @JsonProperty("sb") @Nullable Integer signalBars,
		@JsonProperty("ompg") boolean overallMostPositionsGained,
		@JsonProperty("cmpg") boolean inClassMostPositionsGained, @JsonProperty("psf") boolean pitStartFinish,
		@JsonProperty("lflg") Flags localFlag, @JsonProperty("lhlf") @Nullable Boolean localHasLocalFlag,
		@JsonProperty("csec") List<CompletedSection> completedSections, @JsonProperty("lstt") String lapStartTime,
		@JsonProperty("vid") @Nullable Object videoStatus, @JsonProperty("lat") @Nullable Double latitude,
		@JsonProperty("lon") @Nullable Double longitude, @JsonProperty("iw") boolean impactWarning,
		@JsonProperty("faic") boolean fastestAveragePaceInClass, @JsonProperty("temp") @Nullable Double temperature,
		@JsonProperty("precip") @Nullable Double precipitation, @JsonProperty("spd") @Nullable Double speed,
		@JsonProperty("pet") @Nullable Instant pitEntryTime, @JsonProperty("sv") boolean speedViolation,
		@JsonProperty("pse") boolean pitSpeedEnforced, @JsonProperty("fz") @Nullable Integer flaggingZone,
		@JsonProperty("ds") @Nullable String driverSource, @JsonProperty("cgft") String inClassGapFastestTime,
		@JsonProperty("cdft") String inClassDifferenceFastestTime, @JsonProperty("ogft") String overallGapFastestTime,
		@JsonProperty("odft") String overallDifferenceFastestTime,
		@JsonProperty("lapposp") @Nullable Double lapPositionPercent) {

	/**
	 * A track section a car completed.
	 * @param number car number
	 * @param sectionId section name
	 * @param elapsedTimeMs time into the lap at the section's end
	 * @param lastSectionTimeMs time through the section
	 * @param lastLap lap the section belongs to
	 */
	public record CompletedSection(@JsonProperty("number") String number, @JsonProperty("sectionId") String sectionId,
			@JsonProperty("elapsedTimeMs") long elapsedTimeMs,
			@JsonProperty("lastSectionTimeMs") long lastSectionTimeMs,
			@JsonProperty("lastLap") int lastLap) {
	}
}
