package io.github.springsignalr.interop.legacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.springsignalr.hub.HubDescriptor;
import io.github.springsignalr.interop.js.NodeTests;
import io.github.springsignalr.legacy.HubProxyScript;

/**
 * The generated hub proxy script of the legacy fixture's hubs, evaluated in headless Chromium after
 * jquery 3.7.1 and the jQuery client 2.4.3 ({@code js/legacy/proxy-script.test.mjs}), without a server:
 * the proxies exist, call the real method names, and subscribe the page's client functions on start.
 */
class LegacyProxyScriptBrowserTests {

	@TempDir
	Path directory;

	@Test
	void generatedProxiesRunOnTheRealJQueryClient() throws IOException {
		String script = new HubProxyScript(Map.of("ChatHub", HubDescriptor.of(ChatHub.class), "stockTicker",
				HubDescriptor.of(StockTickerHub.class))).render("/signalr");
		Path file = this.directory.resolve("hubs.js");
		Files.writeString(file, script, StandardCharsets.UTF_8);
		// no server is involved: the base URL only satisfies the runner
		NodeTests.runFile("legacy/proxy-script.test.mjs", "http://127.0.0.1:9", Duration.ofMinutes(2),
				Map.of("LEGACY_PROXY_SCRIPT", file.toString()));
	}
}
