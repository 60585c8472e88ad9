package io.github.springsignalr.samples.racestatus;

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * RedMist's REST side, as far as clients of the hub need it: the events, and the current state V2 clients
 * load before applying patches (and after {@code ReceiveReset}). A node that does not run the simulator
 * asks the one that does (through {@code RaceRelay}); 404 for an unknown event.
 */
@RestController
@RequestMapping("/status/v2/Events")
public class StatusController {

	private final RaceStatusService status;

	StatusController(RaceStatusService status) {
		this.status = status;
	}

	/** The events, id to name. */
	@GetMapping
	public Map<Integer, String> events() {
		return this.status.events();
	}

	/** The V2 session state (JSON). */
	@GetMapping("/GetCurrentSessionStateJson")
	public Mono<ResponseEntity<JsonNode>> currentSessionState(@RequestParam int eventId) {
		return this.status.currentSessionState(eventId)
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.notFound().build());
	}

	/** The V1 status as V1 clients hold it: the last full status with every patch sent since applied. */
	@GetMapping("/GetCurrentLegacySessionPayload")
	public Mono<ResponseEntity<JsonNode>> currentLegacyPayload(@RequestParam int eventId) {
		return this.status.currentPayload(eventId)
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.notFound().build());
	}
}
