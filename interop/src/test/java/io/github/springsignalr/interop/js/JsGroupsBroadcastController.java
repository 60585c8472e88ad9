package io.github.springsignalr.interop.js;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.springsignalr.HubContext;
import reactor.core.publisher.Mono;

/**
 * Sends to the clients of {@link JsGroupsHub} from outside the hub, through an injected
 * {@link HubContext}, as application code would from a REST endpoint.
 */
@RestController
public class JsGroupsBroadcastController {

	private final HubContext<JsGroupsHub> hubContext;

	public JsGroupsBroadcastController(HubContext<JsGroupsHub> hubContext) {
		this.hubContext = hubContext;
	}

	/** Sends {@code Message(msg)} to everyone, or to one group, one user or one connection when given. */
	@PostMapping("/js-groups-broadcast")
	public Mono<String> broadcast(@RequestParam String msg, @RequestParam(required = false) @Nullable String group,
			@RequestParam(required = false) @Nullable String user,
			@RequestParam(required = false) @Nullable String connectionId) {
		Mono<Void> sent;
		if (group != null) {
			sent = this.hubContext.clients().group(group).send(JsGroupsHub.MESSAGE, msg);
		}
		else if (user != null) {
			sent = this.hubContext.clients().user(user).send(JsGroupsHub.MESSAGE, msg);
		}
		else if (connectionId != null) {
			sent = this.hubContext.clients().client(connectionId).send(JsGroupsHub.MESSAGE, msg);
		}
		else {
			sent = this.hubContext.clients().all().send(JsGroupsHub.MESSAGE, msg);
		}
		return sent.thenReturn("sent");
	}

	/** Adds a connection to a group from outside the hub. */
	@PostMapping("/js-groups-add")
	public Mono<String> add(@RequestParam String connectionId, @RequestParam String group) {
		return this.hubContext.groups().addToGroup(connectionId, group).thenReturn("added");
	}

	/** Removes a connection from a group from outside the hub. */
	@PostMapping("/js-groups-remove")
	public Mono<String> remove(@RequestParam String connectionId, @RequestParam String group) {
		return this.hubContext.groups().removeFromGroup(connectionId, group).thenReturn("removed");
	}
}
