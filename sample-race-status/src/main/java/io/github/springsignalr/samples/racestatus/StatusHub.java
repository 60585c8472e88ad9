package io.github.springsignalr.samples.racestatus;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;

import io.github.springsignalr.GroupManager;
import io.github.springsignalr.Hub;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.OnDisconnected;
import reactor.core.publisher.Mono;

/**
 * RedMist's StatusHub: clients subscribe to an event, its control log or one car's in-car data, and
 * receive what {@link RaceStatusService} publishes to the matching group. Each subscription is a group;
 * the trailing access code is optional (clients may leave it out, as the RedMist guide's calls do), and
 * required only for private events. A bearer token is required to connect.
 */
@Hub("/status/event-status")
@PreAuthorize("isAuthenticated()")
public class StatusHub {

	private final RaceStatusService status;

	StatusHub(RaceStatusService status) {
		this.status = status;
	}

	/** V1 subscription: {@code ReceiveMessage} with full statuses and patches, and the V2 messages. */
	public Mono<Void> subscribeToEvent(int eventId, @Nullable String accessCode, HubCallerContext context,
			GroupManager groups) {
		return subscribeToEventV2(eventId, accessCode, context, groups);
	}

	/**
	 * Joins the event's groups: a full status arrives first ({@code ReceiveMessage}, gzip+base64), then
	 * patches; V2 clients get {@code ReceiveSessionPatch}, {@code ReceiveCarPatches} and {@code ReceiveReset}.
	 */
	public Mono<Void> subscribeToEventV2(int eventId, @Nullable String accessCode, HubCallerContext context,
			GroupManager groups) {
		this.status.checkAccess(eventId, accessCode);
		String connectionId = context.connectionId();
		return groups.addToGroup(connectionId, RaceStatusService.eventGroupV2(eventId))
			.then(this.status.followEvent(eventId, connectionId));
	}

	/** The same as {@link #subscribeToEventV2} under the name of RedMist's current API. */
	public Mono<Void> subscribeToEventV2WithCode(int eventId, @Nullable String accessCode, HubCallerContext context,
			GroupManager groups) {
		return subscribeToEventV2(eventId, accessCode, context, groups);
	}

	/** Leaves the event's groups. */
	public Mono<Void> unsubscribeFromEvent(int eventId, HubCallerContext context, GroupManager groups) {
		return unsubscribeFromEventV2(eventId, context, groups);
	}

	/** Leaves the event's groups. */
	public Mono<Void> unsubscribeFromEventV2(int eventId, HubCallerContext context, GroupManager groups) {
		String connectionId = context.connectionId();
		this.status.forget(connectionId);
		return groups.removeFromGroup(connectionId, RaceStatusService.eventGroup(eventId))
			.then(groups.removeFromGroup(connectionId, RaceStatusService.eventGroupV2(eventId)));
	}

	/** The event's control log ({@code ReceiveControlLog}), now and whenever it changes. */
	public Mono<Void> subscribeToControlLogs(int eventId, @Nullable String accessCode, HubCallerContext context,
			GroupManager groups) {
		this.status.checkAccess(eventId, accessCode);
		String connectionId = context.connectionId();
		return groups.addToGroup(connectionId, RaceStatusService.controlLogGroup(eventId))
			.then(this.status.sendControlLog(eventId, null, connectionId));
	}

	/** Stops the event's control log. */
	public Mono<Void> unsubscribeFromControlLogs(int eventId, HubCallerContext context, GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), RaceStatusService.controlLogGroup(eventId));
	}

	/** One car's control log entries ({@code ReceiveControlLog}), now and whenever they change. */
	public Mono<Void> subscribeToCarControlLogs(int eventId, String carNumber, @Nullable String accessCode,
			HubCallerContext context, GroupManager groups) {
		this.status.checkAccess(eventId, accessCode);
		String connectionId = context.connectionId();
		return this.status.checkCar(eventId, carNumber)
			.then(groups.addToGroup(connectionId, RaceStatusService.carControlLogGroup(eventId, carNumber)))
			.then(this.status.sendControlLog(eventId, carNumber, connectionId));
	}

	/** Stops one car's control log. */
	public Mono<Void> unsubscribeFromCarControlLogs(int eventId, String carNumber, HubCallerContext context,
			GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), RaceStatusService.carControlLogGroup(eventId, carNumber));
	}

	/** V1 in-car data: {@code ReceiveInCarUpdate} with the driver's display as gzip+base64 JSON. */
	public Mono<Void> subscribeToInCarDriverEvent(int eventId, String carNumber, @Nullable String accessCode,
			HubCallerContext context, GroupManager groups) {
		return subscribeToInCar(eventId, carNumber, accessCode, false, context, groups);
	}

	/** V2 in-car data: {@code ReceiveInCarUpdateV2} with the driver's display. */
	public Mono<Void> subscribeToInCarDriverEventV2(int eventId, String carNumber, @Nullable String accessCode,
			HubCallerContext context, GroupManager groups) {
		return subscribeToInCar(eventId, carNumber, accessCode, true, context, groups);
	}

	private Mono<Void> subscribeToInCar(int eventId, String carNumber, @Nullable String accessCode, boolean v2,
			HubCallerContext context, GroupManager groups) {
		this.status.checkAccess(eventId, accessCode);
		String connectionId = context.connectionId();
		String group = v2 ? RaceStatusService.inCarGroupV2(eventId, carNumber)
				: RaceStatusService.inCarGroup(eventId, carNumber);
		return this.status.checkCar(eventId, carNumber)
			.then(groups.addToGroup(connectionId, group))
			.then(this.status.sendInCar(eventId, carNumber, v2, connectionId));
	}

	/** Stops V1 in-car data. */
	public Mono<Void> unsubscribeFromInCarDriverEvent(int eventId, String carNumber, HubCallerContext context,
			GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), RaceStatusService.inCarGroup(eventId, carNumber));
	}

	/** Stops V2 in-car data. */
	public Mono<Void> unsubscribeFromInCarDriverEventV2(int eventId, String carNumber, HubCallerContext context,
			GroupManager groups) {
		return groups.removeFromGroup(context.connectionId(), RaceStatusService.inCarGroupV2(eventId, carNumber));
	}

	/** Forgets a connection that left before its first full status. */
	@OnDisconnected
	public void disconnected(HubCallerContext context) {
		this.status.forget(context.connectionId());
	}
}
