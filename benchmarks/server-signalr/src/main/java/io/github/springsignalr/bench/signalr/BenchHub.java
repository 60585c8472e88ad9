package io.github.springsignalr.bench.signalr;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubClients;
import reactor.core.publisher.Mono;

/**
 * The benchmark hub, after aspnet/Benchmarks' SignalR hub: every message is {@code m(t, p)} where {@code t} is
 * the sender's {@code System.nanoTime()} and {@code p} a payload.
 */
@Hub("/bench")
public class BenchHub {

	/** Sends {@code m(t, p)} back to the caller. */
	public Mono<Void> echo(long t, String p, HubCallerClients clients) {
		return clients.caller().send("m", t, p);
	}

	/** Sends {@code m(t, p)} to every connection. */
	public Mono<Void> broadcast(long t, String p, HubClients clients) {
		return clients.all().send("m", t, p);
	}

	/** Adds the caller to group {@code g}; the client waits for the completion. */
	public Mono<Void> joinGroup(String g, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), g);
	}

	/** Sends {@code m(t, p)} to the members of group {@code g}. */
	public Mono<Void> sendToGroup(String g, long t, String p, HubClients clients) {
		return clients.group(g).send("m", t, p);
	}
}
