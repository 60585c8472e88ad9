package io.github.springsignalr.hub;

import org.junit.jupiter.api.Test;

import io.github.springsignalr.HubContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The in-memory lifetime manager against the {@link HubLifetimeManagerContract}, plus its own
 * bookkeeping.
 */
class DefaultHubLifetimeManagerTests extends HubLifetimeManagerContract {

	@Override
	protected HubLifetimeManager createLifetimeManager() {
		return new DefaultHubLifetimeManager();
	}

	private DefaultHubLifetimeManager defaultManager() {
		return (DefaultHubLifetimeManager) manager();
	}

	@Test
	void tracksConnectionsAndForgetsThemOnDisconnect() {
		RecordingConnection c1 = connect("c1");
		connect("c2");

		assertThat(defaultManager().connectionCount()).isEqualTo(2);
		assertThat(defaultManager().connection("c1")).isNotNull();

		disconnect(c1);

		assertThat(defaultManager().connectionCount()).isEqualTo(1);
		assertThat(defaultManager().connection("c1")).isNull();
	}

	@Test
	void dropsGroupsWhenTheirLastMemberLeaves() {
		RecordingConnection c1 = connect("c1");
		RecordingConnection c2 = connect("c2");
		await(clients().addToGroup("c1", "a"));
		await(clients().addToGroup("c2", "a"));
		await(clients().addToGroup("c1", "b"));
		assertThat(defaultManager().groupCount()).isEqualTo(2);

		disconnect(c1);
		assertThat(defaultManager().groupCount()).isEqualTo(1);

		await(clients().removeFromGroup("c2", "a"));
		assertThat(defaultManager().groupCount()).isZero();
		assertThat(c2.isClosed()).isFalse();
	}

	@Test
	void completesEverySendAtOnce() {
		connect("c1");

		assertThat(clients().all().send("Send", "x").toFuture()).isDone();
		assertThat(clients().addToGroup("c1", "room").toFuture()).isDone();
	}

	@Test
	void hubContextHasNoCaller() {
		HubContext<Object> context = new DefaultHubContext<>(this::manager);

		assertThatIllegalStateException().isThrownBy(() -> ((LifetimeHubClients) context.clients()).others())
			.withMessage("There is no caller outside a hub method invocation");
	}

	@Test
	void hubContextSendsThroughTheManager() {
		RecordingConnection c1 = connect("c1");
		HubContext<Object> context = new DefaultHubContext<>(this::manager);

		await(context.groups().addToGroup("c1", "room"));
		send(context.clients().group("room"), "from context");
		flush();

		assertThat(received(c1)).containsExactly(sent("from context"));
	}

}
