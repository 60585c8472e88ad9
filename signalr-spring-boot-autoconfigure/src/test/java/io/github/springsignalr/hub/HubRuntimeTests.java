package io.github.springsignalr.hub;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import io.github.springsignalr.Connection;
import io.github.springsignalr.ConnectionHandler;
import io.github.springsignalr.ConnectionMapping;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.connection.ConnectionRoute;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.protocol.MessagePackHubProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link HubRuntime} assembles the hubs of a plain Spring application (no Spring Boot): each hub and
 * connection handler at its path, and the lifetime manager each hub's {@link HubContext} uses.
 */
class HubRuntimeTests {

	private final List<ConnectionRoute> paths = new CopyOnWriteArrayList<>();

	private final Map<String, HubLifetimeManager> managers = new ConcurrentHashMap<>();

	private GenericApplicationContext context(Class<?>... beans) {
		GenericApplicationContext context = new GenericApplicationContext();
		for (Class<?> bean : beans) {
			context.registerBean(bean);
		}
		context.registerBean(HubContextRegistrar.class);
		JsonHubProtocol json = new JsonHubProtocol(JsonMapper.builder().build());
		context.registerBean(HubRuntime.class, () -> HubRuntime
			.builder(context, this::lifetimeManager, (connection) -> null, Schedulers.immediate())
			.protocols(List.of(json, new MessagePackHubProtocol(json.mapper())))
			.supportedProtocols((hubName) -> hubName.equals("PackedHub") ? List.of("MessagePack") : List.of())
			.paths(this.paths::add)
			.build());
		return context;
	}

	private HubLifetimeManager lifetimeManager(String hubName, Class<?> hubClass) {
		return this.managers.computeIfAbsent(hubName, (name) -> new DefaultHubLifetimeManager());
	}

	@Test
	void mapsEveryHubAndConnectionHandlerAtItsPath() {
		try (GenericApplicationContext context = context(ChatHub.class, PackedHub.class, RawHandler.class)) {
			context.refresh();
			assertThat(this.paths).extracting(ConnectionRoute::path)
				.containsExactlyInAnyOrder("/chat", "/packed", "/raw");
			ConnectionRoute chat = endpoint("/chat");
			assertThat(chat.name()).isEqualTo("ChatHub");
			assertThat(chat.bean()).isSameAs(context.getBean(ChatHub.class));
			assertThat(chat.options().transports()).containsExactly(TransportType.WEB_SOCKETS);
			assertThat(((HubConnectionHandler) chat.handler()).protocolNames()).containsExactly("json",
					"messagepack");
			assertThat(((HubConnectionHandler) endpoint("/packed").handler()).protocolNames())
				.containsExactly("messagepack");
			assertThat(endpoint("/raw").handler()).isSameAs(context.getBean(RawHandler.class));
		}
	}

	@Test
	void hubContextOfEachHubUsesTheLifetimeManagerOfItsHub() {
		try (GenericApplicationContext context = context(ChatHub.class, PackedHub.class)) {
			context.refresh();
			HubRuntime runtime = context.getBean(HubRuntime.class);
			assertThat(runtime.lifetimeManager(ChatHub.class)).isSameAs(this.managers.get("ChatHub"));
			assertThat(runtime.lifetimeManager(PackedHub.class)).isSameAs(this.managers.get("PackedHub"));
			assertThat(context.getBeanProvider(ResolvableType.forClassWithGenerics(HubContext.class, ChatHub.class))
				.getObject()).isNotNull();
			assertThatIllegalStateException().isThrownBy(() -> runtime.lifetimeManager(String.class))
				.withMessage("No hub of class java.lang.String is mapped");
		}
	}

	@Test
	void hubThatSupportsNoneOfTheProtocolsFailsTheStartup() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean(PackedHub.class);
			context.registerBean(HubRuntime.class, () -> HubRuntime
				.builder(context, this::lifetimeManager, (connection) -> null, Schedulers.immediate())
				.protocols(List.of(new JsonHubProtocol(JsonMapper.builder().build())))
				.supportedProtocols((hubName) -> List.of("messagepack"))
				.build());
			assertThatIllegalStateException().isThrownBy(context::refresh)
				.withMessage("Hub PackedHub supports none of the protocols [messagepack]; available: [json]");
		}
	}

	private ConnectionRoute endpoint(String path) {
		return this.paths.stream().filter((endpoint) -> endpoint.path().equals(path)).findFirst().orElseThrow();
	}

	@Hub(value = "/chat", transports = TransportType.WEB_SOCKETS)
	static class ChatHub {

		public String echo(String message) {
			return message;
		}

	}

	@Hub("/packed")
	static class PackedHub {

	}

	@ConnectionMapping("/raw")
	static class RawHandler implements ConnectionHandler {

		@Override
		public Mono<Void> onReceived(Connection connection, byte[] data) {
			return Mono.empty();
		}

	}

}
