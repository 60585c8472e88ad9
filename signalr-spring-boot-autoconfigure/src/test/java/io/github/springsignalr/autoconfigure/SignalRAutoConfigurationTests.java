package io.github.springsignalr.autoconfigure;

import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.util.unit.DataSize;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubContext;
import io.github.springsignalr.TransportType;
import io.github.springsignalr.UserIdProvider;
import io.github.springsignalr.connection.ConnectionManager;
import io.github.springsignalr.hub.RecordingConnection;
import io.github.springsignalr.hub.DefaultHubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManager;
import io.github.springsignalr.hub.HubLifetimeManagerFactory;
import io.github.springsignalr.protocol.JsonHubProtocol;
import io.github.springsignalr.hub.HubRuntime;
import io.github.springsignalr.connection.SignalRRouteRegistry;
import io.github.springsignalr.webflux.SignalRHandlerMapping;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beans {@link SignalRAutoConfiguration} contributes, how each backs off, and the properties.
 */
class SignalRAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void contributesDefaultBeans() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(JsonHubProtocol.class);
			assertThat(context).hasSingleBean(UserIdProvider.class);
			assertThat(context).hasSingleBean(HubLifetimeManagerFactory.class);
			assertThat(context).hasSingleBean(ConnectionManager.class);
			assertThat(context).hasSingleBean(SignalRRouteRegistry.class);
			assertThat(context).hasSingleBean(SignalRHandlerMapping.class);
			assertThat(context).hasSingleBean(SignalRProperties.class);
		});
	}

	@Test
	void refusesConnectionsBeforeTheOpenFileLimitByDefault() {
		this.runner.run((context) -> {
			com.sun.management.UnixOperatingSystemMXBean os = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean();
			long limit = os.getMaxFileDescriptorCount();
			int maximum = context.getBean(SignalRHandlerMapping.class).requestHandler().maximumConnections();
			assertThat(maximum).isLessThan((int) Math.min(limit, Integer.MAX_VALUE))
				.isGreaterThanOrEqualTo((int) Math.min(limit * 9 / 10 - 1, Integer.MAX_VALUE - 1));
		});
	}

	@Test
	void maximumConnectionsPropertyOverridesTheOpenFileLimit() {
		this.runner.withPropertyValues("signalr.maximum-connections=250000")
			.run((context) -> assertThat(
					context.getBean(SignalRHandlerMapping.class).requestHandler().maximumConnections())
				.isEqualTo(250000));
	}

	@Test
	void usesTheApplicationsJsonMapperForTheJsonProtocol() {
		this.runner.run((context) -> assertThat(context.getBean(JsonHubProtocol.class).mapper())
			.isSameAs(context.getBean(JsonMapper.class)));
	}

	@Test
	void createsItsOwnJsonMapperWithoutJacksonAutoConfiguration() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JsonHubProtocol.class).mapper()).isNotNull();
			});
	}

	@Test
	void defaultUserIdIsThePrincipalName() {
		this.runner.run((context) -> {
			UserIdProvider provider = context.getBean(UserIdProvider.class);
			assertThat(provider.getUserId(new RecordingConnection("c1", "alice")))
				.isEqualTo("alice");
			assertThat(provider.getUserId(new RecordingConnection("c2"))).isNull();
		});
	}

	@Test
	void defaultLifetimeManagersAreInMemory() {
		this.runner.run((context) -> assertThat(
				context.getBean(HubLifetimeManagerFactory.class).create("ChatHub", ChatHub.class))
			.isInstanceOf(DefaultHubLifetimeManager.class));
	}

	@Test
	void backsOffWhenApplicationDefinesItsOwnBeans() {
		this.runner.withUserConfiguration(CustomBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(JsonHubProtocol.class);
			assertThat(context.getBean(JsonHubProtocol.class)).isSameAs(CustomBeans.PROTOCOL);
			assertThat(context).hasSingleBean(UserIdProvider.class);
			assertThat(context.getBean(UserIdProvider.class)).isSameAs(CustomBeans.USER_IDS);
			assertThat(context).hasSingleBean(HubLifetimeManagerFactory.class);
			assertThat(context.getBean(HubLifetimeManagerFactory.class)).isSameAs(CustomBeans.LIFETIME_MANAGERS);
		});
	}

	@Test
	void createsLifetimeManagerOfEachHubWithTheApplicationsFactory() {
		this.runner.withUserConfiguration(CustomBeans.class, ChatHubConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HubRuntime.class).lifetimeManager(ChatHub.class))
				.isSameAs(CustomBeans.MANAGER);
		});
	}

	@Test
	void registersInjectableHubContextForEachHub() {
		this.runner.withUserConfiguration(ChatHubConfiguration.class, NewsHubConfiguration.class,
				HubContextUser.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ObjectProvider<HubContext<ChatHub>> chat = context
					.getBeanProvider(ResolvableType.forClassWithGenerics(HubContext.class, ChatHub.class));
				ObjectProvider<HubContext<NewsHub>> news = context
					.getBeanProvider(ResolvableType.forClassWithGenerics(HubContext.class, NewsHub.class));
				assertThat(chat.getIfUnique()).isNotNull();
				assertThat(news.getIfUnique()).isNotNull().isNotSameAs(chat.getIfUnique());
				HubContextUser user = context.getBean(HubContextUser.class);
				assertThat(user.chat).isSameAs(chat.getIfUnique());
				StepVerifier.create(user.chat.clients().all().send("Ping")).expectComplete().verify(Duration.ofSeconds(5));
			});
	}

	@Test
	void failsWhenTwoHubsShareAPathIgnoringCase() {
		this.runner.withUserConfiguration(ChatHubConfiguration.class, ClashingHubConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("ChatHub")
					.hasMessageContaining("ClashingHub")
					.hasMessageContaining("are mapped to path");
			});
	}

	@Test
	void failsWhenAHubOverloadsAMethod() {
		this.runner.withUserConfiguration(OverloadingHubConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Duplicate definitions of 'send'")
				.hasMessageContaining(OverloadingHub.class.getName());
		});
	}

	@Test
	void bindsProperties() {
		this.runner
			.withPropertyValues("signalr.transports=web-sockets", "signalr.disconnect-timeout=3s",
					"signalr.outbound-buffer-size=64KB", "signalr.hub.keep-alive-interval=5s",
					"signalr.hub.client-timeout-interval=12s", "signalr.hub.handshake-timeout=2s",
					"signalr.hub.maximum-receive-message-size=64KB",
					"signalr.hub.maximum-parallel-invocations-per-client=4", "signalr.hub.enable-detailed-errors=true",
					"signalr.hub.stream-buffer-capacity=20", "signalr.websocket.max-frame-size=2MB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SignalRProperties properties = context.getBean(SignalRProperties.class);
				assertThat(properties.getTransports()).containsExactly(TransportType.WEB_SOCKETS);
				assertThat(properties.getDisconnectTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getOutboundBufferSize()).isEqualTo(DataSize.ofKilobytes(64));
				SignalRHubProperties hub = properties.getHub();
				assertThat(hub.getKeepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(hub.getClientTimeoutInterval()).isEqualTo(Duration.ofSeconds(12));
				assertThat(hub.getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(hub.getMaximumReceiveMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
				assertThat(hub.getMaximumParallelInvocationsPerClient()).isEqualTo(4);
				assertThat(hub.isEnableDetailedErrors()).isTrue();
				assertThat(hub.getStreamBufferCapacity()).isEqualTo(20);
				assertThat(properties.getWebsocket().getMaxFrameSize()).isEqualTo(DataSize.ofMegabytes(2));
			});
	}

	@Test
	void hasTheReferenceDefaults() {
		this.runner.run((context) -> {
			SignalRProperties properties = context.getBean(SignalRProperties.class);
			assertThat(properties.getTransports()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(TransportType.class));
			assertThat(properties.getDisconnectTimeout()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.getOutboundBufferSize()).isEqualTo(DataSize.ofMegabytes(1));
			SignalRHubProperties hub = properties.getHub();
			assertThat(hub.getKeepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
			assertThat(hub.getClientTimeoutInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(hub.getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(15));
			assertThat(hub.getMaximumReceiveMessageSize()).isEqualTo(DataSize.ofKilobytes(32));
			assertThat(hub.getMaximumParallelInvocationsPerClient()).isEqualTo(1);
			assertThat(hub.isEnableDetailedErrors()).isFalse();
			assertThat(hub.getStreamBufferCapacity()).isEqualTo(10);
			assertThat(properties.getWebsocket().getMaxFrameSize()).isEqualTo(DataSize.ofMegabytes(1));
		});
	}

	@Test
	void isNotActiveInANonWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SignalRAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(ChatHubConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SignalRHandlerMapping.class);
				assertThat(context).doesNotHaveBean(JsonHubProtocol.class);
				assertThat(context).doesNotHaveBean(ConnectionManager.class);
				assertThat(context).doesNotHaveBean(SignalRProperties.class);
			});
	}

	@Hub("/chat")
	static class ChatHub {

		public String send(String message) {
			return message;
		}

	}

	@Hub("/news")
	static class NewsHub {

		public void subscribe() {
		}

	}

	@Hub("/Chat/")
	static class ClashingHub {

		public void other() {
		}

	}

	@Hub("/overloaded")
	static class OverloadingHub {

		public void send(String message) {
		}

		public void send(String user, String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ChatHubConfiguration {

		@Bean
		ChatHub chatHub() {
			return new ChatHub();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NewsHubConfiguration {

		@Bean
		NewsHub newsHub() {
			return new NewsHub();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingHubConfiguration {

		@Bean
		ClashingHub clashingHub() {
			return new ClashingHub();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OverloadingHubConfiguration {

		@Bean
		OverloadingHub overloadingHub() {
			return new OverloadingHub();
		}

	}

	/** A bean that injects a hub's context by its type. */
	static class HubContextUser {

		final HubContext<ChatHub> chat;

		HubContextUser(HubContext<ChatHub> chat) {
			this.chat = chat;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomBeans {

		static final JsonHubProtocol PROTOCOL = new JsonHubProtocol(JsonMapper.builder().build());

		static final UserIdProvider USER_IDS = (connection) -> "everyone";

		static final HubLifetimeManager MANAGER = new DefaultHubLifetimeManager();

		static final HubLifetimeManagerFactory LIFETIME_MANAGERS = (name, hubClass) -> MANAGER;

		@Bean
		JsonHubProtocol customProtocol() {
			return PROTOCOL;
		}

		@Bean
		UserIdProvider customUserIds() {
			return USER_IDS;
		}

		@Bean
		HubLifetimeManagerFactory customLifetimeManagers() {
			return LIFETIME_MANAGERS;
		}

	}

}
