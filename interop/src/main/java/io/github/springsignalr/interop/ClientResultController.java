package io.github.springsignalr.interop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.github.springsignalr.HubContext;
import reactor.core.publisher.Mono;

/**
 * {@code GET /clientresult/{connectionId}}: asks a test hub client for a result and answers with it, or
 * with the client's error text.
 */
@RestController
public class ClientResultController {

	private final HubContext<TestHub> hub;

	public ClientResultController(HubContext<TestHub> hub) {
		this.hub = hub;
	}

	@GetMapping("/clientresult/{connectionId}")
	Mono<String> clientResult(@PathVariable String connectionId) {
		return this.hub.clients()
			.client(connectionId)
			.invoke("Result", Integer.class)
			.map(String::valueOf)
			.onErrorResume((ex) -> Mono.just(String.valueOf(ex.getMessage())));
	}
}
