// Every transport and hub protocol pair the official JavaScript client supports (Server-Sent Events
// carries text only, so JSON only there).
import { HubConnectionBuilder, HttpTransportType, LogLevel } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

export const COMBINATIONS = [
	{ name: "WebSockets/json", transport: HttpTransportType.WebSockets, messagePack: false },
	{ name: "WebSockets/messagepack", transport: HttpTransportType.WebSockets, messagePack: true },
	{ name: "ServerSentEvents/json", transport: HttpTransportType.ServerSentEvents, messagePack: false },
	{ name: "LongPolling/json", transport: HttpTransportType.LongPolling, messagePack: false },
	{ name: "LongPolling/messagepack", transport: HttpTransportType.LongPolling, messagePack: true },
];

/** A connection to the soak hub of the node at {@code url}, not started. */
export function connect(url, combination, httpClient) {
	let builder = new HubConnectionBuilder()
		.withUrl(`${url}/soak`, httpClient ? { transport: combination.transport, httpClient }
			: { transport: combination.transport })
		.configureLogging(LogLevel.None);
	if (combination.messagePack) {
		builder = builder.withHubProtocol(new MessagePackHubProtocol());
	}
	return builder.build();
}
