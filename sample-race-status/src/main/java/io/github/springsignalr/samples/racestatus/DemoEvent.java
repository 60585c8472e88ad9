package io.github.springsignalr.samples.racestatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An event the simulator runs: its name, track, race length and field.
 * @param eventId the id clients subscribe with
 * @param name event name
 * @param sessionName name of the race sessions
 * @param track track name
 * @param trackMiles lap length
 * @param utcOffsetHours the track's time zone
 * @param raceLength scheduled length of a race
 * @param pitStops whether cars stop for fuel and drivers
 * @param classes the classes, fastest first
 */
record DemoEvent(int eventId, String name, String sessionName, String track, double trackMiles, int utcOffsetHours,
		Duration raceLength, boolean pitStops, List<CarClass> classes) {

	/**
	 * A class of cars.
	 * @param name class name
	 * @param color display color
	 * @param cars number of cars
	 * @param paceMs typical clean lap
	 * @param carTypes makes and models racing in it
	 */
	record CarClass(String name, String color, int cars, int paceMs, List<String> carTypes) {
	}

	private static final String[] FIRST_NAMES = { "Ada", "Ben", "Chloe", "Dario", "Elena", "Felix", "Grace", "Hugo",
			"Ines", "Jack", "Kira", "Luca", "Maya", "Nico", "Olga", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Uma",
			"Victor", "Wen", "Ximena", "Yusuf", "Zoe" };

	private static final String[] LAST_NAMES = { "Alvarez", "Brooks", "Castillo", "Duval", "Eriksen", "Fontaine",
			"Garcia", "Hayes", "Ito", "Jansen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quinn",
			"Rossi", "Sato", "Tanaka", "Ulrich", "Vega", "Walsh", "Young", "Zhang" };

	private static final String[] TEAMS = { "Apex Motorsport", "Blue Flag Racing", "Chicane Works", "Downforce Garage",
			"Esses Racing", "Flat Out Autosport", "Grid Walk Team", "Hairpin Heroes", "Late Apex", "Pit Lane Partners",
			"Red Line Racing", "Slipstream Co.", "Trail Brake Racing", "Vintage Velocity" };

	/** The two events of the sample: a long endurance race and short sprints with a private access code. */
	static List<DemoEvent> defaults() {
		return List.of(
				new DemoEvent(123, "Sebring 4 Hours (simulated)", "Endurance Race", "Sebring International Raceway",
						3.74, -4, Duration.ofHours(4), true,
						List.of(new CarClass("GTO", "#D62728", 10, 131_000, List.of("Porsche 911 GT3 Cup", "BMW M4 GT4")),
								new CarClass("GTU", "#1F77B4", 12, 139_000, List.of("Mazda MX-5 Cup", "Toyota GR86")),
								new CarClass("GTS", "#2CA02C", 10, 146_000, List.of("Honda Civic Si", "VW Golf GTI")))),
				new DemoEvent(124, "Road America Sprints (simulated)", "Sprint Race", "Road America", 4.05, -5,
						Duration.ofMinutes(30), false,
						List.of(new CarClass("SM", "#FF7F0E", 14, 166_000, List.of("Mazda MX-5 Spec")),
								new CarClass("T4", "#9467BD", 8, 171_000, List.of("Ford Mustang T4", "Nissan 370Z T4")))));
	}

	/** A fresh field in grid order, the same for the same seed. */
	List<SimulatedCar> field(Random random) {
		List<SimulatedCar> cars = new ArrayList<>();
		int transponder = 1_000_000 + this.eventId * 1000;
		int number = 2;
		for (CarClass carClass : this.classes) {
			for (int i = 0; i < carClass.cars(); i++) {
				number += 1 + random.nextInt(6);
				String carNumber = (random.nextInt(8) == 0) ? number + "x" : Integer.toString(number);
				String driver = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " "
						+ LAST_NAMES[random.nextInt(LAST_NAMES.length)];
				int pace = carClass.paceMs() + random.nextInt(4000) - 1000;
				cars.add(new SimulatedCar(carNumber, carClass.name(), TEAMS[random.nextInt(TEAMS.length)], driver,
						carClass.carTypes().get(random.nextInt(carClass.carTypes().size())), ++transponder, pace));
			}
		}
		// qualifying order: mostly by pace, with some surprises
		Map<SimulatedCar, Integer> qualifying = new IdentityHashMap<>();
		for (SimulatedCar car : cars) {
			qualifying.put(car, car.paceMs + random.nextInt(3000));
		}
		cars.sort(Comparator.comparing(qualifying::get));
		return cars;
	}
}
