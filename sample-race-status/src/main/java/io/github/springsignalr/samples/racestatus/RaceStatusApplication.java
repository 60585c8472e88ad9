package io.github.springsignalr.samples.racestatus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The race status sample, a live timing service in the style of RedMist's StatusHub: a simulator races
 * two events and {@link StatusHub} at {@code /status/event-status} streams them to subscribed clients.
 */
@SpringBootApplication
@EnableConfigurationProperties(RaceProperties.class)
public class RaceStatusApplication {

	public static void main(String[] args) {
		SpringApplication.run(RaceStatusApplication.class, args);
	}
}
