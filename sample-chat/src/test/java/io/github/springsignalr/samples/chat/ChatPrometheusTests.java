package io.github.springsignalr.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What {@code /actuator/prometheus} shows of three official JavaScript clients (Node, through
 * {@code src/test/js/prometheus-clients.cjs}), one per transport, that chatted and are still connected:
 * the script scrapes once before they connect and once after, and the difference is theirs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatPrometheusTests {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern SAMPLE = Pattern.compile("^(signalr_server_[a-z_]+\\{[^}]*\\}) (\\S+)$",
			Pattern.MULTILINE);

	private static final String[] TRANSPORTS = { "web_sockets", "server_sent_events", "long_polling" };

	@LocalServerPort
	private int port;

	@Test
	void showsTheConnectionsAndMessagesOfThreeLiveClientsByTransport() throws Exception {
		NodeScript.Result result = NodeScript.run("prometheus-clients.cjs", SCRIPT_TIMEOUT,
				"http://localhost:" + this.port);
		assertThat(result.exitCode()).as(result.output()).isZero();
		Map<String, Double> before = samples(scrape(result.output(), "before"));
		Map<String, Double> during = samples(scrape(result.output(), "during"));
		for (String transport : TRANSPORTS) {
			String connections = "signalr_server_active_connections{signalr_hub=\"ChatHub\",signalr_transport=\""
					+ transport + "\"}";
			assertThat(during.get(connections)).as(connections).isEqualTo(before.getOrDefault(connections, 0.0) + 1);
			String tags = "{signalr_hub=\"ChatHub\",signalr_protocol=\"json\",signalr_transport=\"" + transport + "\"}";
			// each client sent one message and received the three broadcasts and its completion
			assertThat(increase(before, during, "signalr_server_messages_received_total" + tags)).as(transport)
				.isGreaterThanOrEqualTo(1);
			assertThat(increase(before, during, "signalr_server_messages_sent_total" + tags)).as(transport)
				.isGreaterThanOrEqualTo(4);
			assertThat(increase(before, during, "signalr_server_messages_received_bytes_total" + tags)).as(transport)
				.isPositive();
			assertThat(increase(before, during, "signalr_server_messages_sent_bytes_total" + tags)).as(transport)
				.isPositive();
		}
	}

	private static String scrape(String output, String label) {
		int start = output.indexOf("--- " + label + " ---");
		assertThat(start).as("the %s scrape in %s", label, output).isNotNegative();
		int end = output.indexOf("--- end ---", start);
		assertThat(end).as("the end of the %s scrape", label).isPositive();
		return output.substring(start, end);
	}

	private static Map<String, Double> samples(String scrape) {
		Map<String, Double> samples = new HashMap<>();
		Matcher matcher = SAMPLE.matcher(scrape);
		while (matcher.find()) {
			samples.put(matcher.group(1), Double.valueOf(matcher.group(2)));
		}
		return samples;
	}

	private static double increase(Map<String, Double> before, Map<String, Double> during, String series) {
		assertThat(during).as("the scrape while the clients are connected").containsKey(series);
		return during.get(series) - before.getOrDefault(series, 0.0);
	}
}
