package io.github.springsignalr.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations SignalR records, with their key names.
 */
public enum SignalRObservationDocumentation implements ObservationDocumentation {

	/** One invocation of a hub method by a client, from the filters in front of it to its result. */
	HUB_INVOCATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultHubInvocationObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return HubInvocationLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HubInvocationHighCardinalityKeyNames.values();
		}
	};

	/** Key values of a hub invocation that tag its metrics. */
	public enum HubInvocationLowCardinalityKeyNames implements KeyName {

		/** Name of the hub. */
		HUB {
			@Override
			public String asString() {
				return "signalr.hub";
			}
		},

		/** Name of the hub method, as the client invoked it. */
		METHOD {
			@Override
			public String asString() {
				return "signalr.method";
			}
		},

		/**
		 * How the invocation ended: {@code SUCCESS}, {@code HUB_ERROR} (a {@code HubException}, whose message
		 * the client sees), {@code UNAUTHORIZED} or {@code ERROR}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** Simple class name of the exception the invocation failed with, {@code none} otherwise. */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}
	}

	/** Key values of a hub invocation that identify it, for traces only. */
	public enum HubInvocationHighCardinalityKeyNames implements KeyName {

		/** Id of the connection that invoked the method. */
		CONNECTION_ID {
			@Override
			public String asString() {
				return "signalr.connection.id";
			}
		},

		/** Id the client gave the invocation; absent when it expects no result. */
		INVOCATION_ID {
			@Override
			public String asString() {
				return "signalr.invocation.id";
			}
		}
	}
}
