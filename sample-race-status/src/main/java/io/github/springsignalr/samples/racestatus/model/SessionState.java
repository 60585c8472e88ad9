package io.github.springsignalr.samples.racestatus.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * RedMist's V2 session state (camelCase keys). {@code ReceiveSessionPatch} carries the same keys, with
 * {@code null} for what did not change; cars change through {@code ReceiveCarPatches}.
 * @param eventId event id
 * @param eventName event name
 * @param sessionId session id
 * @param sessionName session name
 * @param lapsToGo estimated laps to go
 * @param timeToGo "HH:mm:ss"
 * @param localTimeOfDay "HH:mm:ss"
 * @param runningRaceTime "HH:mm:ss"
 * @param isPracticeQualifying whether it is practice or qualifying
 * @param sessionStartTime start of the session
 * @param sessionEndTime end of the session, once over
 * @param localTimeZoneOffset the track's offset from UTC in hours
 * @param isLive whether the session is running
 * @param eventEntries entries
 * @param carPositions cars
 * @param currentFlag flag
 * @param flagDurations flag periods
 * @param greenTimeMs time under green
 * @param greenLaps leader laps under green
 * @param yellowTimeMs time under yellow
 * @param yellowLaps leader laps under yellow
 * @param numberOfYellows caution periods
 * @param redTimeMs time under red
 * @param averageRaceSpeed the leader's average speed, "130.456 mph"
 * @param leadChanges lead changes
 * @param sections track sections (none in the simulation)
 * @param classColors class to "#RRGGBB"
 * @param classOrder class to display order
 * @param announcements race control's announcements
 * @param lastUpdated last change
 * @param isSimulation whether the data is simulated (always, here)
 * @param isArchived whether the session is archived
 * @param trackTempDegF track temperature
 * @param trackPrecipitationPerc chance of rain
 * @param hasTelemetrySource whether cars report telemetry
 */
public record SessionState(int eventId, String eventName, int sessionId, String sessionName, int lapsToGo,
		String timeToGo, String localTimeOfDay, String runningRaceTime, boolean isPracticeQualifying,
		Instant sessionStartTime, @Nullable Instant sessionEndTime, double localTimeZoneOffset, boolean isLive,
		List<EventEntry> eventEntries, List<CarPosition> carPositions, Flags currentFlag,
		List<FlagDuration> flagDurations, long greenTimeMs, int greenLaps, long yellowTimeMs, int yellowLaps,
		int numberOfYellows, long redTimeMs, String averageRaceSpeed, int leadChanges, List<Section> sections,
		Map<String, String> classColors, Map<String, Integer> classOrder, List<Announcement> announcements,
		Instant lastUpdated, boolean isSimulation, boolean isArchived, @Nullable Double trackTempDegF,
		@Nullable Double trackPrecipitationPerc, boolean hasTelemetrySource) {

	/**
	 * A stretch of the track between two timing loops.
	 * @param name section name
	 * @param lengthInches length
	 * @param startLabel first loop
	 * @param endLabel last loop
	 */
	public record Section(String name, long lengthInches, String startLabel, String endLabel) {
	}

	/**
	 * A message from race control.
	 * @param timestamp when it was made
	 * @param priority "Normal", "High"
	 * @param text the message
	 */
	public record Announcement(Instant timestamp, String priority, String text) {
	}
}
