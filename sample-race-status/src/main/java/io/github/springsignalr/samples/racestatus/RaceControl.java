package io.github.springsignalr.samples.racestatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.github.springsignalr.samples.racestatus.model.CarControlLogs;
import io.github.springsignalr.samples.racestatus.model.ControlLogEntry;

/**
 * Race control of a simulated session: incidents reported, reviewed, then penalized or not, and the
 * penalties applied to the cars.
 */
final class RaceControl {

	private static final String[] SINGLE_CAR = { "Off track, 4 wheels", "Spin", "Pit lane speeding",
			"Passing under yellow", "Unsafe pit release" };

	private static final String[] TWO_CARS = { "Contact", "Avoidable contact", "Blocking", "Punt" };

	private static final String[] PENALTIES = { "Warning", "Warning", "Drive Through", "1 Lap", "No Action" };

	private final Random random;

	private final List<ControlLogEntry> entries = new ArrayList<>();

	/** Session time at which each entry under review is decided, by index. */
	private final List<Long> decideAt = new ArrayList<>();

	private final Set<String> changedCars = new LinkedHashSet<>();

	RaceControl(Random random) {
		this.random = random;
	}

	/** Maybe reports an incident involving {@code car} and, for contact, {@code other}. */
	void report(SimulatedCar car, SimulatedCar other, long time, Instant at) {
		boolean contact = this.random.nextBoolean();
		String corner = "T" + (1 + this.random.nextInt(14));
		String note = contact ? TWO_CARS[this.random.nextInt(TWO_CARS.length)]
				: SINGLE_CAR[this.random.nextInt(SINGLE_CAR.length)];
		this.entries.add(new ControlLogEntry(this.entries.size() + 1, at, corner, car.number, false,
				contact ? other.number : "", false, note, "Under Review", "", ""));
		this.decideAt.add(time + 60_000 + this.random.nextInt(120_000));
		this.changedCars.add(car.number);
		if (contact) {
			this.changedCars.add(other.number);
		}
	}

	/** Decides the reviews that are due and applies their penalties to the cars. */
	void decide(long time, List<SimulatedCar> cars) {
		for (int i = 0; i < this.entries.size(); i++) {
			ControlLogEntry entry = this.entries.get(i);
			if (!entry.status().equals("Under Review") || this.decideAt.get(i) > time) {
				continue;
			}
			String action = PENALTIES[this.random.nextInt(PENALTIES.length)];
			boolean penalty = !action.equals("No Action");
			this.entries.set(i, new ControlLogEntry(entry.orderId(), entry.timestamp(), entry.corner(), entry.car1(),
					penalty, entry.car2(), false, entry.note(), penalty ? "Penalty" : "No Action", action,
					penalty ? "" : "Racing incident"));
			this.changedCars.add(entry.car1());
			if (!entry.car2().isEmpty()) {
				this.changedCars.add(entry.car2());
			}
			if (penalty) {
				for (SimulatedCar car : cars) {
					if (car.number.equals(entry.car1())) {
						penalize(car, action);
					}
				}
			}
		}
	}

	private void penalize(SimulatedCar car, String action) {
		switch (action) {
			case "Warning" -> car.warnings++;
			case "Drive Through" -> {
				car.blackFlags++;
				car.penaltyTimeMs += 25_000;
			}
			case "1 Lap" -> car.penaltyLaps++;
			default -> {
			}
		}
	}

	/** Forgets the log, for a new session. */
	void reset() {
		this.entries.clear();
		this.decideAt.clear();
		this.changedCars.clear();
	}

	/** The event's full log ({@code cn} ""). */
	CarControlLogs log() {
		return new CarControlLogs("", List.copyOf(this.entries));
	}

	/** The entries involving one car. */
	CarControlLogs log(String carNumber) {
		List<ControlLogEntry> mine = new ArrayList<>();
		for (ControlLogEntry entry : this.entries) {
			if (entry.car1().equals(carNumber) || entry.car2().equals(carNumber)) {
				mine.add(entry);
			}
		}
		return new CarControlLogs(carNumber, mine);
	}

	/** The cars whose entries changed since the last call; any change also changes the full log. */
	Set<String> takeChangedCars() {
		Set<String> changed = new LinkedHashSet<>(this.changedCars);
		this.changedCars.clear();
		return changed;
	}
}
