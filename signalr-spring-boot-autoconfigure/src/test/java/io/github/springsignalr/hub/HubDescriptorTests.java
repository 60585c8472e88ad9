package io.github.springsignalr.hub;

import java.security.Principal;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.HubMethodName;
import io.github.springsignalr.OnConnected;
import io.github.springsignalr.OnDisconnected;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which methods of a hub class clients can call, and under which names.
 */
class HubDescriptorTests {

	@Test
	void findsMethodsIgnoringCase() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("sendMessage")).isNotNull();
		assertThat(descriptor.find("SendMessage")).isNotNull();
		assertThat(descriptor.find("SENDMESSAGE")).isNotNull();
		assertThat(descriptor.find("sendmessage").name()).isEqualTo("sendMessage");
		assertThat(descriptor.find("sendMessages")).isNull();
	}

	@Test
	void usesNameGivenByHubMethodName() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("Broadcast")).isNotNull();
		assertThat(descriptor.find("broadcast").name()).isEqualTo("Broadcast");
		assertThat(descriptor.find("shout")).isNull();
	}

	@Test
	void listsOnlyCallableMethods() {
		assertThat(HubDescriptor.of(ChatHub.class).methods()).containsOnlyKeys("sendmessage", "broadcast",
				"withframeworkparameters", "counter", "later");
	}

	@Test
	void excludesObjectMethods() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("toString")).isNull();
		assertThat(descriptor.find("hashCode")).isNull();
		assertThat(descriptor.find("equals")).isNull();
		assertThat(descriptor.find("getClass")).isNull();
		assertThat(descriptor.find("notify")).isNull();
	}

	@Test
	void excludesMethodsOfSpringAndJavaInterfaces() {
		HubDescriptor descriptor = HubDescriptor.of(LifecycleHub.class);

		assertThat(descriptor.find("afterPropertiesSet")).isNull();
		assertThat(descriptor.find("destroy")).isNull();
		assertThat(descriptor.find("close")).isNull();
		assertThat(descriptor.find("ping")).isNotNull();
	}

	@Test
	void excludesNonPublicAndStaticMethods() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("helper")).isNull();
		assertThat(descriptor.find("create")).isNull();
	}

	@Test
	void keepsConnectionCallbacksApartFromCallableMethods() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("joined")).isNull();
		assertThat(descriptor.find("left")).isNull();
		assertThat(descriptor.onConnected()).isNotNull();
		assertThat(descriptor.onConnected().method().getName()).isEqualTo("joined");
		assertThat(descriptor.onDisconnected()).isNotNull();
		assertThat(descriptor.onDisconnected().method().getName()).isEqualTo("left");
	}

	@Test
	void hasNoCallbacksWhenNoneAreDeclared() {
		HubDescriptor descriptor = HubDescriptor.of(LifecycleHub.class);

		assertThat(descriptor.onConnected()).isNull();
		assertThat(descriptor.onDisconnected()).isNull();
	}

	@Test
	void doesNotCountFrameworkParametersAsArguments() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("withFrameworkParameters").argumentCount()).isEqualTo(2);
		assertThat(descriptor.find("sendMessage").argumentCount()).isEqualTo(2);
		assertThat(descriptor.find("broadcast").argumentCount()).isZero();
	}

	@Test
	void recognizesStreamingMethods() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub.class);

		assertThat(descriptor.find("counter").isStreaming()).isTrue();
		assertThat(descriptor.find("later").isStreaming()).isFalse();
		assertThat(descriptor.find("sendMessage").isStreaming()).isFalse();
	}

	@Test
	void failsOnOverloadedMethodsNamingTheHub() {
		assertThatIllegalStateException().isThrownBy(() -> HubDescriptor.of(OverloadedHub.class))
			.withMessage("Duplicate definitions of 'send' in hub " + OverloadedHub.class.getName()
					+ ". Overloading is not supported.");
	}

	@Test
	void failsWhenHubMethodNameCollidesWithAnotherMethodIgnoringCase() {
		assertThatIllegalStateException().isThrownBy(() -> HubDescriptor.of(CollidingHub.class))
			.withMessageStartingWith("Duplicate definitions of '")
			.withMessageContaining(CollidingHub.class.getName())
			.withMessageEndingWith("Overloading is not supported.");
	}

	@Test
	void describesTheUserClassOfAProxy() {
		HubDescriptor descriptor = HubDescriptor.of(ChatHub$$SpringCGLIB$$0.class);

		assertThat(descriptor.hubClass()).isEqualTo(ChatHub.class);
	}

	static class ChatHub {

		public void sendMessage(String user, String message) {
		}

		@HubMethodName("Broadcast")
		public void shout() {
		}

		public String withFrameworkParameters(HubCallerContext context, String first, HubCallerClients callerClients,
				HubClients clients, GroupManager groups, Principal principal, int second) {
			return first + second;
		}

		public Flux<Integer> counter(int count) {
			return Flux.range(0, count);
		}

		public Mono<String> later() {
			return Mono.just("later");
		}

		@OnConnected
		public void joined(HubCallerContext context) {
		}

		@OnDisconnected
		public void left(Throwable cause) {
		}

		void helper() {
		}

		public static ChatHub create() {
			return new ChatHub();
		}

		@Override
		public String toString() {
			return "ChatHub";
		}

	}

	/** Stands for the subclass Spring generates for a proxied bean. */
	static class ChatHub$$SpringCGLIB$$0 extends ChatHub {

	}

	static class LifecycleHub implements InitializingBean, DisposableBean, AutoCloseable {

		public String ping() {
			return "pong";
		}

		@Override
		public void afterPropertiesSet() {
		}

		@Override
		public void destroy() {
		}

		@Override
		public void close() {
		}

	}

	static class OverloadedHub {

		public void send(String message) {
		}

		public void send(String user, String message) {
		}

	}

	static class CollidingHub {

		public void send(String message) {
		}

		@HubMethodName("SEND")
		public void other() {
		}

	}

}
