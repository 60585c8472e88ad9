package io.github.springsignalr.interop.clients;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

/** Which clients joined which group through {@link ClientsHub#joinAs}, for a test to wait on. */
@Component
public class ClientsHubJoins {

	private final Map<String, List<String>> labels = new ConcurrentHashMap<>();

	void joined(String group, String label) {
		this.labels.computeIfAbsent(group, (key) -> new CopyOnWriteArrayList<>()).add(label);
	}

	/** The labels of the clients that joined {@code group}, in the order they joined. */
	public List<String> labels(String group) {
		return List.copyOf(this.labels.getOrDefault(group, List.of()));
	}
}
