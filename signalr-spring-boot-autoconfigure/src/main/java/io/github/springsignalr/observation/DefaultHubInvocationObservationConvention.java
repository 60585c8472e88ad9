package io.github.springsignalr.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import io.github.springsignalr.HubException;
import io.github.springsignalr.HubInvocationContext;
import io.github.springsignalr.UnauthorizedInvocationException;
import io.github.springsignalr.observation.SignalRObservationDocumentation.HubInvocationHighCardinalityKeyNames;
import io.github.springsignalr.observation.SignalRObservationDocumentation.HubInvocationLowCardinalityKeyNames;

/**
 * The default {@link HubInvocationObservationConvention}: observation {@code signalr.server.invocation},
 * contextual name {@code <hub>/<method>} (as .NET names its activities), low-cardinality {@code signalr.hub},
 * {@code signalr.method}, {@code outcome} and {@code exception}, high-cardinality
 * {@code signalr.connection.id} and {@code signalr.invocation.id}.
 */
public class DefaultHubInvocationObservationConvention implements HubInvocationObservationConvention {

	private static final String NAME = "signalr.server.invocation";

	private static final KeyValue OUTCOME_SUCCESS = KeyValue.of(HubInvocationLowCardinalityKeyNames.OUTCOME,
			"SUCCESS");

	private static final KeyValue OUTCOME_HUB_ERROR = KeyValue.of(HubInvocationLowCardinalityKeyNames.OUTCOME,
			"HUB_ERROR");

	private static final KeyValue OUTCOME_UNAUTHORIZED = KeyValue.of(HubInvocationLowCardinalityKeyNames.OUTCOME,
			"UNAUTHORIZED");

	private static final KeyValue OUTCOME_ERROR = KeyValue.of(HubInvocationLowCardinalityKeyNames.OUTCOME, "ERROR");

	private static final KeyValue EXCEPTION_NONE = KeyValue.of(HubInvocationLowCardinalityKeyNames.EXCEPTION, "none");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(HubInvocationObservationContext context) {
		HubInvocationContext invocation = context.getInvocation();
		return invocation.hubName() + "/" + invocation.methodName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(HubInvocationObservationContext context) {
		return KeyValues.of(hub(context), method(context), outcome(context), exception(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(HubInvocationObservationContext context) {
		KeyValues values = KeyValues.of(KeyValue.of(HubInvocationHighCardinalityKeyNames.CONNECTION_ID,
				context.getInvocation().context().connectionId()));
		String invocationId = context.getInvocation().invocationId();
		return (invocationId != null)
				? values.and(KeyValue.of(HubInvocationHighCardinalityKeyNames.INVOCATION_ID, invocationId)) : values;
	}

	protected KeyValue hub(HubInvocationObservationContext context) {
		return KeyValue.of(HubInvocationLowCardinalityKeyNames.HUB, context.getInvocation().hubName());
	}

	protected KeyValue method(HubInvocationObservationContext context) {
		return KeyValue.of(HubInvocationLowCardinalityKeyNames.METHOD, context.getInvocation().methodName());
	}

	protected KeyValue outcome(HubInvocationObservationContext context) {
		Throwable error = context.getError();
		if (error == null) {
			return OUTCOME_SUCCESS;
		}
		if (error instanceof UnauthorizedInvocationException) {
			return OUTCOME_UNAUTHORIZED;
		}
		return (error instanceof HubException) ? OUTCOME_HUB_ERROR : OUTCOME_ERROR;
	}

	protected KeyValue exception(HubInvocationObservationContext context) {
		Throwable error = context.getError();
		if (error == null) {
			return EXCEPTION_NONE;
		}
		String name = error.getClass().getSimpleName();
		return KeyValue.of(HubInvocationLowCardinalityKeyNames.EXCEPTION,
				name.isEmpty() ? error.getClass().getName() : name);
	}
}
