package io.github.springsignalr.interop.legacy;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.springsignalr.HubContext;
import reactor.core.publisher.Mono;

/**
 * The test hooks of the legacy scenarios: {@code GET /legacy-test/events/{connectionId}} gives a
 * connection's lifecycle counts, {@code POST /legacy-test/push?connectionId=...|group=...|all=true&message=...}
 * sends {@code addMessage("hook", message)} to it from outside any hub call.
 */
@RestController
public class LegacyTestController {

	private final LegacyHubEvents events;

	private final HubContext<ChatHub> hub;

	public LegacyTestController(LegacyHubEvents events, HubContext<ChatHub> hub) {
		this.events = events;
		this.hub = hub;
	}

	@GetMapping("/legacy-test/events/{connectionId}")
	Map<String, Integer> events(@PathVariable String connectionId) {
		return this.events.of(connectionId);
	}

	@PostMapping("/legacy-test/push")
	Mono<String> push(@RequestParam(required = false) String connectionId,
			@RequestParam(required = false) String group, @RequestParam String message) {
		if (connectionId != null) {
			return this.hub.clients().client(connectionId).send(ChatHub.ADD_MESSAGE, "hook", message).thenReturn("ok");
		}
		if (group != null) {
			return this.hub.clients().group(group).send(ChatHub.ADD_MESSAGE, "hook", message).thenReturn("ok");
		}
		return this.hub.clients().all().send(ChatHub.ADD_MESSAGE, "hook", message).thenReturn("ok");
	}
}
