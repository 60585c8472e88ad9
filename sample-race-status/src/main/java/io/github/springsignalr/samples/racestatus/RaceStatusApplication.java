package io.github.springsignalr.samples.racestatus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The race status sample, a live timing service in the style of RedMist's StatusHub. Its hub arrives
 * with its own issue; for now the application only starts.
 */
@SpringBootApplication
public class RaceStatusApplication {

	public static void main(String[] args) {
		SpringApplication.run(RaceStatusApplication.class, args);
	}
}
