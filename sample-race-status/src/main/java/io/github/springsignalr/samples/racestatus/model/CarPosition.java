package io.github.springsignalr.samples.racestatus.model;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One car's timing line, with RedMist's short keys. The sample fills the timing, position, gap, pit and
 * penalty fields; RedMist's telemetry, video and section fields are left out.
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
		@JsonProperty("plt") int projectedLapTimeMs, @JsonProperty("sb") @Nullable Integer signalBars) {
}
