package io.github.springsignalr.interop.legacy;

import java.util.List;
import java.util.Map;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import io.github.springsignalr.OnReconnected;
import io.github.springsignalr.Progress;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The {@code ChatHub} of the legacy conformance scenarios, with its methods named as an ASP.NET hub
 * names them ({@code Echo}, {@code Send}, ...), so the generated proxy camel-cases them
 * ({@code server.echo}) and the other clients call them by their real names. Modern clients reach it at
 * {@code /legacy-chat}.
 */
@Hub("/legacy-chat")
public class ChatHub {

	/** Client method every broadcast, caller, others and group message is delivered to. */
	public static final String ADD_MESSAGE = "addMessage";

	private final LegacyHubEvents events;

	public ChatHub(LegacyHubEvents events) {
		this.events = events;
	}

	@OnConnected
	public void connected(HubCallerContext context) {
		this.events.connected(context.connectionId());
	}

	@OnReconnected
	public void reconnected(HubCallerContext context) {
		this.events.reconnected(context.connectionId());
	}

	@OnDisconnected
	public void disconnected(HubCallerContext context, @Nullable Throwable cause) {
		this.events.disconnected(context.connectionId(), cause == null);
	}

	public String Echo(String message) {
		return message;
	}

	public Mono<Void> Send(String name, String message, HubCallerClients clients) {
		return clients.all().send(ADD_MESSAGE, name, message);
	}

	public Mono<Void> SendToCaller(String message, HubCallerClients clients) {
		return clients.caller().send(ADD_MESSAGE, "caller", message);
	}

	public Mono<Void> SendToOthers(String message, HubCallerClients clients) {
		return clients.others().send(ADD_MESSAGE, "others", message);
	}

	public Mono<Void> JoinGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.addToGroup(context.connectionId(), group);
	}

	public Mono<Void> LeaveGroup(String group, HubCallerContext context, GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), group);
	}

	public Mono<Void> SendToGroup(String group, String message, HubCallerClients clients) {
		return clients.group(group).send(ADD_MESSAGE, group, message);
	}

	/** Fails with a hub error the client sees with its message. */
	public void ThrowHub() {
		throw HubException.withErrorData("Hub error 42", Map.of("ErrorNumber", 42));
	}

	/** Fails with an error whose message no client may see. */
	public void Throw() {
		throw new IllegalStateException("secret detail");
	}

	public int Add(int a, int b) {
		return a + b;
	}

	public Map<String, Object> ReturnObject() {
		return Map.of("name", "legacy", "values", List.of(1, 2, 3), "nested", Map.of("ok", true));
	}

	public void Void() {
	}

	/** Reports 1 to {@code n} as progress, then completes with "done". */
	public String Progress(int n, Progress<Integer> progress) {
		for (int i = 1; i <= n; i++) {
			progress.report(i);
		}
		return "done";
	}

	/** Answers the caller state's {@code x} and sets {@code y} from it. */
	public @Nullable Object StateRoundTrip(CallerState state) {
		Object x = state.get("x");
		state.put("y", "seen " + x);
		return x;
	}

	public String GetConnectionId(HubCallerContext context) {
		return context.connectionId();
	}
}
