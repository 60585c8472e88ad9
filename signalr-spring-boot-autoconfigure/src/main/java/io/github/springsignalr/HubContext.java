package io.github.springsignalr;

/**
 * Sends to the clients of hub {@code H} from anywhere in the application: a scheduled job, a REST
 * controller. Inject {@code HubContext<ChatHub>}.
 * @param <H> the hub class
 */
public interface HubContext<H> {

	/** The hub's clients. */
	HubClients clients();

	/** The hub's groups. */
	GroupManager groups();
}
