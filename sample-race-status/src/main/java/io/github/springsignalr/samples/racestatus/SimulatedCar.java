package io.github.springsignalr.samples.racestatus;

import java.util.ArrayList;
import java.util.List;

/** One car of a simulated session: its entry, its crossings and what race control did to it. */
final class SimulatedCar {

	final String number;

	final String carClass;

	final String team;

	final String driver;

	final String driverId;

	final String carType;

	final long transponderId;

	/** Lap time of a clean green lap on fresh tyres. */
	final int paceMs;

	int gridPosition;

	int classGridPosition;

	/** Session time of the end of each completed lap: index 0 is lap 1. */
	final List<Long> crossings = new ArrayList<>();

	long lapStart;

	long lapLength;

	long lastLapMs;

	long bestLapMs;

	int bestLap;

	int pitStops;

	int lapsSincePit;

	boolean pittingThisLap;

	boolean lastLapPitted;

	int lastPitDurationMs;

	/** Extra time for the next lap, from a drive-through. */
	long penaltyTimeMs;

	int penaltyLaps;

	int warnings;

	int blackFlags;

	int lapsLed;

	int lapsLedInClass;

	int position;

	int classPosition;

	boolean finished;

	SimulatedCar(String number, String carClass, String team, String driver, String carType, long transponderId,
			int paceMs) {
		this.number = number;
		this.carClass = carClass;
		this.team = team;
		this.driver = driver;
		this.driverId = "D" + transponderId;
		this.carType = carType;
		this.transponderId = transponderId;
		this.paceMs = paceMs;
	}

	int laps() {
		return this.crossings.size();
	}

	long lastCrossing() {
		return this.crossings.isEmpty() ? 0 : this.crossings.get(this.crossings.size() - 1);
	}

	long due() {
		return this.lapStart + this.lapLength;
	}

	/** Laps this car had completed at session time {@code time}. */
	int lapsAt(long time) {
		int laps = 0;
		while (laps < this.crossings.size() && this.crossings.get(laps) <= time) {
			laps++;
		}
		return laps;
	}

	/**
	 * The gap from {@code reference} (a car ahead) back to this car at this car's last crossing: "" for no
	 * gap, "2 laps" when lapped, "1.234" or "1:02.345" otherwise.
	 */
	String gapTo(SimulatedCar reference) {
		int laps = laps();
		if (reference == this || laps == 0) {
			return "";
		}
		long time = lastCrossing();
		int lapsDown = reference.lapsAt(time) - laps;
		if (lapsDown >= 1) {
			return TimingFormat.laps(lapsDown);
		}
		if (reference.laps() < laps) {
			return "";
		}
		return TimingFormat.gap(time - reference.crossings.get(laps - 1));
	}
}
