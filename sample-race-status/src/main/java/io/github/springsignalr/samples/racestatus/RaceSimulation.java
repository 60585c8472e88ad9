package io.github.springsignalr.samples.racestatus;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.springsignalr.samples.racestatus.model.CarControlLogs;
import io.github.springsignalr.samples.racestatus.model.CarPosition;
import io.github.springsignalr.samples.racestatus.model.CarStatus;
import io.github.springsignalr.samples.racestatus.model.EventEntry;
import io.github.springsignalr.samples.racestatus.model.EventStatus;
import io.github.springsignalr.samples.racestatus.model.FlagDuration;
import io.github.springsignalr.samples.racestatus.model.Flags;
import io.github.springsignalr.samples.racestatus.model.InCarPayload;
import io.github.springsignalr.samples.racestatus.model.Payload;
import io.github.springsignalr.samples.racestatus.model.SessionState;

/**
 * One simulated event: races of its field one after the other, with lap times around each car's pace,
 * tyre wear, pit stops, full-course yellows, race control's penalties, white and checkered flags. Time is
 * session time in milliseconds, advanced by {@link #advance}; nothing here is thread-safe: one thread
 * drives it.
 */
final class RaceSimulation {

	private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

	/** Session time between the checkered flag and the next race. */
	private static final long COOL_DOWN_MS = 180_000;

	private final DemoEvent event;

	private final Random random;

	private final RaceControl raceControl;

	private List<SimulatedCar> cars = List.of();

	private int sessionId;

	private Instant sessionStart = Instant.EPOCH;

	private long now;

	private Flags flag = Flags.GREEN;

	private long flagUntil;

	private long lastYellowEnd;

	private final List<FlagDuration> flagDurations = new ArrayList<>();

	private long checkeredAt = -1;

	private long greenTimeMs;

	private long yellowTimeMs;

	private int greenLaps;

	private int yellowLaps;

	private int numberOfYellows;

	private int leadChanges;

	private @Nullable SimulatedCar leader;

	/** Session time of the last lap, flag or incident. */
	private long lastChange;

	RaceSimulation(DemoEvent event, long seed) {
		this.event = event;
		this.random = new Random(seed);
		this.raceControl = new RaceControl(this.random);
		startSession(Instant.now());
	}

	int eventId() {
		return this.event.eventId();
	}

	int sessionId() {
		return this.sessionId;
	}

	boolean hasCar(String number) {
		for (SimulatedCar car : this.cars) {
			if (car.number.equals(number)) {
				return true;
			}
		}
		return false;
	}

	List<String> carNumbers() {
		List<String> numbers = new ArrayList<>();
		for (SimulatedCar car : this.cars) {
			numbers.add(car.number);
		}
		return numbers;
	}

	private void startSession(Instant start) {
		this.sessionId++;
		this.sessionStart = start;
		this.now = 0;
		this.cars = this.event.field(this.random);
		this.flag = Flags.GREEN;
		this.flagUntil = 0;
		this.lastYellowEnd = 0;
		this.flagDurations.clear();
		this.flagDurations.add(new FlagDuration(Flags.GREEN, start, null));
		this.checkeredAt = -1;
		this.greenTimeMs = 0;
		this.yellowTimeMs = 0;
		this.greenLaps = 0;
		this.yellowLaps = 0;
		this.numberOfYellows = 0;
		this.leadChanges = 0;
		this.leader = null;
		this.lastChange = 0;
		Map<String, Integer> inClass = new LinkedHashMap<>();
		for (int i = 0; i < this.cars.size(); i++) {
			SimulatedCar car = this.cars.get(i);
			car.gridPosition = i + 1;
			car.classGridPosition = inClass.merge(car.carClass, 1, Integer::sum);
			car.position = car.gridPosition;
			car.classPosition = car.classGridPosition;
			// a rolling start: the cars at the back take the line later
			car.lapStart = 0;
			car.lapLength = nextLap(car) + i * 450L;
		}
		this.raceControl.reset();
	}

	/**
	 * Moves the session on by {@code millis} of session time.
	 * @return whether a new session started (clients must drop what they have)
	 */
	boolean advance(long millis) {
		long target = this.now + millis;
		while (true) {
			SimulatedCar next = null;
			for (SimulatedCar car : this.cars) {
				if (!car.finished && car.due() <= target && (next == null || car.due() < next.due())) {
					next = car;
				}
			}
			if (next == null) {
				break;
			}
			moveClock(next.due());
			completeLap(next);
		}
		moveClock(target);
		this.raceControl.decide(this.now, this.cars);
		if (this.checkeredAt >= 0 && this.now - this.checkeredAt > COOL_DOWN_MS) {
			startSession(this.sessionStart.plusMillis(this.now));
			return true;
		}
		return false;
	}

	private void moveClock(long to) {
		long elapsed = to - this.now;
		if (elapsed <= 0) {
			return;
		}
		if (this.flag == Flags.YELLOW) {
			this.yellowTimeMs += elapsed;
		}
		else if (this.flag == Flags.GREEN || this.flag == Flags.WHITE) {
			this.greenTimeMs += elapsed;
		}
		this.now = to;
		if (this.checkeredAt >= 0) {
			return;
		}
		double seconds = elapsed / 1000.0;
		if (this.flag == Flags.YELLOW && this.now >= this.flagUntil) {
			showFlag(Flags.GREEN);
		}
		else if (this.flag == Flags.GREEN && this.now > 180_000 && this.now - this.lastYellowEnd > 600_000
				&& this.random.nextDouble() < seconds / 1500.0) {
			showFlag(Flags.YELLOW);
			this.numberOfYellows++;
			this.flagUntil = this.now + 120_000 + this.random.nextInt(180_000);
		}
		if (this.now > 120_000 && this.random.nextDouble() < seconds / 200.0) {
			SimulatedCar car = this.cars.get(this.random.nextInt(this.cars.size()));
			SimulatedCar other = byPosition().get(Math.max(0, car.position - 2));
			if (other == car) {
				other = byPosition().get(Math.min(this.cars.size() - 1, car.position));
			}
			this.raceControl.report(car, other, this.now, instant(this.now));
			this.lastChange = this.now;
		}
	}

	private void showFlag(Flags shown) {
		Instant at = instant(this.now);
		FlagDuration current = this.flagDurations.get(this.flagDurations.size() - 1);
		this.flagDurations.set(this.flagDurations.size() - 1, new FlagDuration(current.flag(), current.start(), at));
		this.flagDurations.add(new FlagDuration(shown, at, null));
		if (this.flag == Flags.YELLOW) {
			this.lastYellowEnd = this.now;
		}
		this.flag = shown;
		this.lastChange = this.now;
	}

	private void completeLap(SimulatedCar car) {
		long crossing = car.due();
		car.crossings.add(crossing);
		this.lastChange = crossing;
		car.lastLapMs = car.lapLength;
		car.lastLapPitted = car.pittingThisLap;
		if (car.pittingThisLap) {
			car.pitStops++;
			car.lapsSincePit = 0;
			car.pittingThisLap = false;
		}
		else {
			car.lapsSincePit++;
			if (this.flag == Flags.GREEN && (car.bestLapMs == 0 || car.lastLapMs < car.bestLapMs)) {
				car.bestLapMs = car.lastLapMs;
				car.bestLap = car.laps();
			}
		}
		rank();
		if (car.position == 1) {
			car.lapsLed++;
			if (this.flag == Flags.YELLOW) {
				this.yellowLaps++;
			}
			else {
				this.greenLaps++;
			}
			if (this.checkeredAt < 0) {
				long remaining = this.event.raceLength().toMillis() - crossing;
				if (remaining <= 0) {
					showFlag(Flags.CHECKERED);
					this.checkeredAt = crossing;
				}
				else if (remaining < car.lastLapMs && this.flag != Flags.WHITE) {
					showFlag(Flags.WHITE);
				}
			}
		}
		if (car.classPosition == 1) {
			car.lapsLedInClass++;
		}
		if (this.checkeredAt >= 0) {
			car.finished = true;
			return;
		}
		car.lapStart = crossing;
		car.lapLength = nextLap(car);
	}

	private long nextLap(SimulatedCar car) {
		double lap = car.paceMs * (1 + this.random.nextGaussian() * 0.006) + car.lapsSincePit * 35L;
		if (this.flag == Flags.YELLOW) {
			lap *= 1.35;
		}
		if (this.random.nextInt(60) == 0) {
			lap += 3000 + this.random.nextInt(6000); // a moment: off track, traffic
		}
		if (this.event.pitStops() && car.laps() > 0
				&& (car.lapsSincePit > 38 || (car.lapsSincePit > 20 && this.random.nextInt(25) == 0))) {
			car.pittingThisLap = true;
			car.lastPitDurationMs = 45_000 + this.random.nextInt(30_000);
			lap += car.lastPitDurationMs;
		}
		lap += car.penaltyTimeMs;
		car.penaltyTimeMs = 0;
		return Math.round(lap);
	}

	/** Sorts by laps completed, then by who completed them first, and updates positions. */
	private void rank() {
		List<SimulatedCar> order = new ArrayList<>(this.cars);
		order.sort(Comparator.comparingInt((SimulatedCar car) -> -car.laps())
			.thenComparingLong(SimulatedCar::lastCrossing)
			.thenComparingInt((car) -> car.gridPosition));
		Map<String, Integer> inClass = new LinkedHashMap<>();
		for (int i = 0; i < order.size(); i++) {
			SimulatedCar car = order.get(i);
			car.position = i + 1;
			car.classPosition = inClass.merge(car.carClass, 1, Integer::sum);
		}
		SimulatedCar first = order.get(0);
		if (this.leader != null && this.leader != first) {
			this.leadChanges++;
		}
		this.leader = first;
	}

	private List<SimulatedCar> byPosition() {
		SimulatedCar[] order = new SimulatedCar[this.cars.size()];
		for (SimulatedCar car : this.cars) {
			order[car.position - 1] = car;
		}
		return Arrays.asList(order);
	}

	private @Nullable SimulatedCar inClassAt(String carClass, int classPosition) {
		for (SimulatedCar car : this.cars) {
			if (car.carClass.equals(carClass) && car.classPosition == classPosition) {
				return car;
			}
		}
		return null;
	}

	private Instant instant(long sessionTime) {
		return this.sessionStart.plusMillis(sessionTime);
	}

	private CarPosition carPosition(SimulatedCar car, List<SimulatedCar> order) {
		SimulatedCar leaderCar = order.get(0);
		SimulatedCar ahead = order.get(Math.max(0, car.position - 2));
		SimulatedCar classLeader = inClassAt(car.carClass, 1);
		SimulatedCar classAhead = inClassAt(car.carClass, Math.max(1, car.classPosition - 1));
		long bestOverall = Long.MAX_VALUE;
		long bestInClass = Long.MAX_VALUE;
		for (SimulatedCar other : this.cars) {
			if (other.bestLapMs > 0) {
				bestOverall = Math.min(bestOverall, other.bestLapMs);
				if (other.carClass.equals(car.carClass)) {
					bestInClass = Math.min(bestInClass, other.bestLapMs);
				}
			}
		}
		long pitEntry = car.lapStart + car.lapLength - car.lastPitDurationMs - 15_000;
		boolean inPit = car.pittingThisLap && this.now > pitEntry;
		String status = car.finished ? "Finished" : inPit ? "In Pits" : "Active";
		int maxGained = 0;
		int maxGainedInClass = 0;
		long bestPaceInClass = Long.MAX_VALUE;
		long betterBest = 0;
		long betterBestInClass = 0;
		for (SimulatedCar other : this.cars) {
			boolean sameClass = other.carClass.equals(car.carClass);
			maxGained = Math.max(maxGained, other.gridPosition - other.position);
			if (sameClass) {
				maxGainedInClass = Math.max(maxGainedInClass, other.classGridPosition - other.classPosition);
				if (other.laps() > 0) {
					bestPaceInClass = Math.min(bestPaceInClass, other.lastCrossing() / other.laps());
				}
			}
			if (other.bestLapMs > 0 && other.bestLapMs < car.bestLapMs) {
				betterBest = Math.max(betterBest, other.bestLapMs);
				if (sameClass) {
					betterBestInClass = Math.max(betterBestInClass, other.bestLapMs);
				}
			}
		}
		int gained = car.gridPosition - car.position;
		int gainedInClass = car.classGridPosition - car.classPosition;
		boolean timed = car.bestLapMs > 0;
		return new CarPosition(Integer.toString(this.event.eventId()), Integer.toString(this.sessionId), car.number,
				car.transponderId, car.carClass, TimingFormat.time(car.bestLapMs), car.bestLap,
				car.bestLapMs > 0 && car.bestLapMs == bestOverall, car.bestLapMs > 0 && car.bestLapMs == bestInClass,
				(classLeader != null) ? car.gapTo(classLeader) : "",
				(classAhead != null) ? car.gapTo(classAhead) : "", car.gapTo(leaderCar), car.gapTo(ahead),
				TimingFormat.time(car.lastCrossing()), TimingFormat.time(car.lastLapMs), car.laps(), car.pitStops,
				car.lapsLed, car.lapsLedInClass, car.position, car.classPosition, car.gridPosition,
				car.classGridPosition, car.gridPosition - car.position, car.classGridPosition - car.classPosition,
				car.penaltyLaps, car.warnings, car.blackFlags, inPit, car.lastLapPitted && car.laps() > 0, inPit,
				car.lastLapPitted, inPit ? "PitIn" : "SF", false, this.flag, car.driver, car.driverId, status,
				(car.pitStops > 0) ? car.lastPitDurationMs : null, (int) car.lapLength,
				3 + (int) (car.transponderId % 3), gained > 0 && gained == maxGained,
				gainedInClass > 0 && gainedInClass == maxGainedInClass, false, this.flag, null, List.of(),
				timeOfDay(car.lapStart).format(TIME_OF_DAY), null, null, null, false,
				car.laps() > 0 && car.lastCrossing() / car.laps() == bestPaceInClass, null, null, null,
				inPit ? instant(pitEntry) : null, false, false, null, null,
				(timed && bestInClass < car.bestLapMs) ? TimingFormat.gap(car.bestLapMs - bestInClass) : "",
				(timed && betterBestInClass > 0) ? TimingFormat.gap(car.bestLapMs - betterBestInClass) : "",
				(timed && bestOverall < car.bestLapMs) ? TimingFormat.gap(car.bestLapMs - bestOverall) : "",
				(timed && betterBest > 0) ? TimingFormat.gap(car.bestLapMs - betterBest) : "", null);
	}

	private List<CarPosition> carPositions() {
		List<SimulatedCar> order = byPosition();
		List<CarPosition> positions = new ArrayList<>();
		for (SimulatedCar car : this.cars) {
			positions.add(carPosition(car, order));
		}
		return positions;
	}

	private List<EventEntry> entries() {
		List<EventEntry> entries = new ArrayList<>();
		for (SimulatedCar car : this.cars) {
			entries.add(new EventEntry(car.number, car.driver, car.team, car.carClass));
		}
		return entries;
	}

	private long remainingMs() {
		return (this.checkeredAt >= 0) ? 0 : Math.max(0, this.event.raceLength().toMillis() - this.now);
	}

	private int lapsToGo() {
		SimulatedCar first = byPosition().get(0);
		if (this.checkeredAt >= 0 || first.lastLapMs == 0) {
			return 0;
		}
		return (int) Math.ceil((double) remainingMs() / first.lastLapMs);
	}

	private String timeOfDay() {
		return timeOfDay(this.now).withNano(0).toString();
	}

	private LocalTime timeOfDay(long sessionTime) {
		return instant(sessionTime).atOffset(ZoneOffset.ofHours(this.event.utcOffsetHours())).toLocalTime();
	}

	/**
	 * The V1 status: cars in grid order for the whole session (the order JSON patch paths such as
	 * {@code /cps/3/ovp} refer to), their positions in {@code ovp}.
	 */
	Payload payload() {
		EventStatus status = new EventStatus(Integer.toString(this.event.eventId()), this.flag, lapsToGo(),
				TimingFormat.clock(remainingMs()), timeOfDay(), TimingFormat.clock(this.now), false);
		return new Payload(this.event.eventId(), this.event.name(), status, entries(), null, carPositions(), null,
				List.copyOf(this.flagDurations), false);
	}

	/** The V2 session state. */
	SessionState sessionState() {
		SimulatedCar first = byPosition().get(0);
		double hours = first.lastCrossing() / 3_600_000.0;
		String speed = (hours > 0)
				? String.format(Locale.ROOT, "%.3f mph", first.laps() * this.event.trackMiles() / hours)
				: "";
		Map<String, String> colors = new LinkedHashMap<>();
		Map<String, Integer> order = new LinkedHashMap<>();
		for (DemoEvent.CarClass carClass : this.event.classes()) {
			colors.put(carClass.name(), carClass.color());
			order.put(carClass.name(), order.size() + 1);
		}
		return new SessionState(this.event.eventId(), this.event.name(), this.sessionId,
				this.event.sessionName() + " " + this.sessionId, lapsToGo(), TimingFormat.clock(remainingMs()),
				timeOfDay(), TimingFormat.clock(this.now), false, this.sessionStart,
				(this.checkeredAt >= 0) ? instant(this.checkeredAt) : null, this.event.utcOffsetHours(),
				this.checkeredAt < 0, entries(), carPositions(), this.flag, List.copyOf(this.flagDurations),
				wholeSeconds(this.greenTimeMs), this.greenLaps, wholeSeconds(this.yellowTimeMs), this.yellowLaps,
				this.numberOfYellows, 0, speed,
				this.leadChanges, List.of(), colors, order,
				List.of(new SessionState.Announcement(this.sessionStart, "Normal",
						"Simulated timing: every car, lap and penalty here is made up.")),
				instant(this.lastChange), true, false, 84.0, 10.0, false);
	}

	/** Flag times change with the clock; patches carry them once a second, with the other clocks. */
	private static long wholeSeconds(long millis) {
		return millis - millis % 1000;
	}

	/** The event's full control log. */
	CarControlLogs controlLog() {
		return this.raceControl.log();
	}

	/** One car's control log. */
	CarControlLogs controlLog(String carNumber) {
		return this.raceControl.log(carNumber);
	}

	/** Cars whose control log changed since the last call. */
	Set<String> takeControlLogChanges() {
		return this.raceControl.takeChangedCars();
	}

	/** What the driver of {@code carNumber} sees, or {@code null} for a car not in the session. */
	@Nullable InCarPayload inCar(String carNumber) {
		SimulatedCar car = null;
		for (SimulatedCar candidate : this.cars) {
			if (candidate.number.equals(carNumber)) {
				car = candidate;
			}
		}
		if (car == null) {
			return null;
		}
		List<SimulatedCar> order = byPosition();
		SimulatedCar aheadInClass = (car.classPosition > 1) ? inClassAt(car.carClass, car.classPosition - 1) : null;
		SimulatedCar aheadOutOfClass = null;
		for (int p = car.position - 2; p >= 0; p--) {
			if (!order.get(p).carClass.equals(car.carClass)) {
				aheadOutOfClass = order.get(p);
				break;
			}
		}
		SimulatedCar behindInClass = inClassAt(car.carClass, car.classPosition + 1);
		List<@Nullable CarStatus> cars = new ArrayList<>();
		cars.add(carStatus(aheadInClass, car));
		cars.add(carStatus(aheadOutOfClass, car));
		cars.add(carStatus(car, car));
		cars.add(carStatus(behindInClass, car));
		return new InCarPayload(car.number, Integer.toString(car.classPosition), Integer.toString(car.position),
				this.flag, cars);
	}

	private static @Nullable CarStatus carStatus(@Nullable SimulatedCar other, SimulatedCar driver) {
		if (other == null) {
			return null;
		}
		boolean self = other == driver;
		String gap = self ? "" : (other.position < driver.position) ? driver.gapTo(other) : other.gapTo(driver);
		String gainLoss = (self || other.lastLapMs == 0 || driver.lastLapMs == 0) ? ""
				: TimingFormat.signed(other.lastLapMs - driver.lastLapMs);
		return new CarStatus(other.number, other.carClass, other.team, TimingFormat.lap(other.lastLapMs), gainLoss, gap,
				other.carType, other.driver, other.transponderId, "");
	}
}
