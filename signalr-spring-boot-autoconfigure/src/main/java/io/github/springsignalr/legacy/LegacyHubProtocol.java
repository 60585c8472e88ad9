package io.github.springsignalr.legacy;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.HubException;
import io.github.springsignalr.Progress;
import io.github.springsignalr.UnauthorizedInvocationException;
import io.github.springsignalr.hub.HubConnectionContext;
import io.github.springsignalr.hub.InvocationErrors;
import io.github.springsignalr.hub.InvocationProgress;
import io.github.springsignalr.hub.InvocationState;
import io.github.springsignalr.hub.WithoutClientResults;
import io.github.springsignalr.protocol.HubMessage;
import io.github.springsignalr.protocol.HubProtocol;
import io.github.springsignalr.protocol.InvalidDataException;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.TransferFormat;

/**
 * The classic ASP.NET SignalR 2 encoding of one hub's messages: a client invocation is written
 * {@code {"H":<hub>,"M":<method>,"A":[...]}}, a result {@code {"I":"<id>","R":...}}, an error
 * {@code {"I":"<id>","E":"..."}} with {@code "H":true} and {@code D} (error data) for a
 * {@link HubException}. Arguments the client sent are bound with the application's {@link JsonMapper}.
 * One instance per hub, shared by its legacy connections, so a message to many is written once.
 * Progress reports go to the caller as {@code {"I":"P|<id>","P":{"I":"<id>","D":...}}}. Messages the
 * classic protocol does not have (pings, closes, streams) are written as nothing.
 */
public final class LegacyHubProtocol implements HubProtocol, InvocationErrors, InvocationProgress,
		InvocationState, WithoutClientResults {

	/** The protocol's name. */
	public static final String NAME = "legacy";

	private static final byte[] NOTHING = new byte[0];

	private final String hubName;

	private final String quotedHubName;

	private final JsonMapper mapper;

	private final boolean detailedErrors;

	/** Binds arguments: the classic protocol's are JSON as the ASP.NET Core JSON protocol's. */
	private final JsonHubProtocol arguments;

	/**
	 * @param hubName the hub's canonical name, written as {@code H}
	 * @param detailedErrors whether errors other than a {@link HubException} tell their message
	 */
	public LegacyHubProtocol(String hubName, JsonMapper mapper, boolean detailedErrors) {
		this.hubName = hubName;
		this.mapper = mapper;
		this.quotedHubName = mapper.writeValueAsString(hubName);
		this.detailedErrors = detailedErrors;
		this.arguments = new JsonHubProtocol(mapper);
	}

	/** The hub's canonical name. */
	public String hubName() {
		return this.hubName;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public int version() {
		return 1;
	}

	@Override
	public TransferFormat transferFormat() {
		return TransferFormat.TEXT;
	}

	@Override
	public void parseMessages(ByteBuffer input, int maxMessageSize, Consumer<HubMessage> messages) {
		throw new InvalidDataException("Classic SignalR invocations are read by LegacyInvocation");
	}

	@Override
	public byte[] writeMessage(HubMessage message) {
		if (message instanceof HubMessage.Invocation invocation) {
			String json = "{\"H\":" + this.quotedHubName + ",\"M\":" + this.mapper.writeValueAsString(invocation.target())
					+ ",\"A\":" + this.mapper.writeValueAsString(invocation.arguments()) + "}";
			return json.getBytes(StandardCharsets.UTF_8);
		}
		if (message instanceof HubMessage.Completion completion) {
			return completion(completion).getBytes(StandardCharsets.UTF_8);
		}
		return NOTHING;
	}

	private String completion(HubMessage.Completion completion) {
		StringBuilder json = new StringBuilder(64).append("{\"I\":")
			.append(this.mapper.writeValueAsString(completion.invocationId()));
		String error = completion.error();
		if (error != null) {
			json.append(",\"E\":").append(this.mapper.writeValueAsString(error));
			if (completion.result() instanceof HubError hubError) {
				json.append(",\"H\":true");
				if (hubError.data() != null) {
					json.append(",\"D\":").append(this.mapper.writeValueAsString(hubError.data()));
				}
			}
		}
		else if (completion.hasResult() && completion.result() != null) {
			json.append(",\"R\":").append(this.mapper.writeValueAsString(completion.result()));
		}
		return json.append('}').toString();
	}

	@Override
	public @Nullable Object bind(@Nullable Object raw, Type type) {
		// scalars read as they were sent are bound as the JSON protocol binds them (no tree when the types agree)
		return this.arguments.bind((raw != null) ? raw : NullNode.getInstance(), type);
	}

	@Override
	public HubMessage.Completion completion(HubConnectionContext context, String invocationId, String target,
			@Nullable Throwable cause, String message) {
		if (cause instanceof HubException hub) {
			return new HubMessage.Completion(invocationId, new HubError(hub.errorData()), hub.getMessage(), false,
					Map.of());
		}
		String hub = (context.connection() instanceof LegacyHubConnection view) ? view.hubAsSent(invocationId)
				: this.hubName;
		String error;
		if (!this.detailedErrors) {
			error = "There was an error invoking Hub method '" + hub + "." + target + "'.";
		}
		else if (cause == null) {
			error = "'" + target + "' method could not be resolved. No method found with that name.";
		}
		else if (cause instanceof UnauthorizedInvocationException) {
			error = "Caller is not authorized to invoke the " + target + " method on " + this.hubName + ".";
		}
		else {
			error = String.valueOf(cause.getMessage());
		}
		return HubMessage.Completion.withError(invocationId, error);
	}

	@Override
	public Progress<Object> progress(HubConnectionContext context, String invocationId) {
		if (!(context.connection() instanceof LegacyHubConnection view)) {
			return (value) -> {
			};
		}
		String prefix = "{\"I\":" + this.mapper.writeValueAsString("P|" + invocationId) + ",\"P\":{\"I\":"
				+ this.mapper.writeValueAsString(invocationId) + ",\"D\":";
		return (value) -> view.progress(invocationId, prefix + this.mapper.writeValueAsString(value) + "}}");
	}

	@Override
	public CallerState callerState(HubConnectionContext context, String invocationId) {
		return (context.connection() instanceof LegacyHubConnection view) ? view.callerState(invocationId)
				: new LegacyCallerState(this.mapper, null);
	}

	@Override
	public String clientResultsRefused(String connectionId) {
		return "Connection '" + connectionId + "' is a classic ASP.NET SignalR 2 client: classic clients cannot return"
				+ " client results.";
	}

	/** An error thrown as a {@link HubException}: the client learns it is one, with its data. */
	record HubError(@Nullable Object data) {
	}
}
