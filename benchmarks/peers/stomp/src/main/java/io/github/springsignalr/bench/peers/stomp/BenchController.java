package io.github.springsignalr.bench.peers.stomp;

import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.stereotype.Controller;

/**
 * The scenario handlers. Clients SEND to {@code /app/echo}, {@code /app/broadcast} and {@code /app/group.<g>};
 * they receive on {@code /user/queue/m} (their own session's queue), {@code /topic/all} and
 * {@code /topic/group.<g>}. Joining a group is a SUBSCRIBE with a receipt (see {@link SubscribeReceipts}).
 */
@Controller
public class BenchController {

	/** Echo: back to the sending session only (no principal, so the session id names the user). */
	@MessageMapping("/echo")
	@SendToUser(destinations = "/queue/m", broadcast = false)
	public Msg echo(Msg msg) {
		return msg;
	}

	/** Broadcast: to every subscriber of {@code /topic/all}. */
	@MessageMapping("/broadcast")
	@SendTo("/topic/all")
	public Msg broadcast(Msg msg) {
		return msg;
	}

	/** Group send: to every subscriber of the group's topic. */
	@MessageMapping("/group.{g}")
	@SendTo("/topic/group.{g}")
	public Msg group(@DestinationVariable("g") String g, Msg msg) {
		return msg;
	}
}
