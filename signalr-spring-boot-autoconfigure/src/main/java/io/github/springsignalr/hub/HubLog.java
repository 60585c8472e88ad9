package io.github.springsignalr.hub;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.springsignalr.protocol.HubMessage;

/**
 * The log events of the hub layer, with ASP.NET Core's texts and levels ({@code DefaultHubDispatcherLog},
 * {@code HubConnectionHandlerLog}, {@code HubConnectionContext.Log}), under the categories of the classes
 * that raise them. Where the reference names one of its options, the text names our property.
 */
final class HubLog {

	static final Log dispatcher = LogFactory.getLog(HubDispatcher.class);

	static final Log handler = LogFactory.getLog(HubConnectionHandler.class);

	static final Log connection = LogFactory.getLog(HubConnectionContext.class);

	/** The property a message over the size limit names, where the reference names AddHubOptions. */
	static final String MAXIMUM_RECEIVE_MESSAGE_SIZE = "signalr.hub.maximum-receive-message-size";

	private HubLog() {
	}

	// DefaultHubDispatcherLog

	static void receivedHubInvocation(HubMessage invocation) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Received hub invocation: " + invocation + ".");
		}
	}

	static void receivedStreamHubInvocation(HubMessage invocation) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Received stream hub invocation: " + invocation + ".");
		}
	}

	static void unknownHubMethod(String hubMethod) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Unknown hub method '" + hubMethod + "'.");
		}
	}

	static void hubMethodNotAuthorized(String hubMethod) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Failed to invoke '" + hubMethod + "' because user is unauthorized.");
		}
	}

	static void failedInvokingHubMethod(String hubMethod, Throwable exception) {
		dispatcher.error("Failed to invoke hub method '" + hubMethod + "'.", exception);
	}

	/** An exception of a hub method that an exception handler turned into the client's error. */
	static void handledHubMethodException(String hubMethod, Throwable exception) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Hub method '" + hubMethod + "' failed; an exception handler answered the client.",
					exception);
		}
	}

	static void hubMethodBound(String hubName, String hubMethod) {
		if (dispatcher.isTraceEnabled()) {
			dispatcher.trace("'" + hubName + "' hub method '" + hubMethod + "' is bound.");
		}
	}

	static void cancelStream(String invocationId) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Canceling stream for invocation " + invocationId + ".");
		}
	}

	static void unexpectedCancel() {
		dispatcher.debug("CancelInvocationMessage received unexpectedly.");
	}

	static void streamingMethodCalledWithInvoke(HubMessage invocation) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("A streaming method was invoked with a non-streaming invocation : " + invocation + ".");
		}
	}

	static void nonStreamingMethodCalledWithStream(HubMessage invocation) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("A non-streaming method was invoked with a streaming invocation : " + invocation + ".");
		}
	}

	static void receivedStreamItem(String streamId) {
		if (dispatcher.isTraceEnabled()) {
			dispatcher.trace("Received item for stream '" + streamId + "'.");
		}
	}

	static void startingParameterStream(String streamId) {
		if (dispatcher.isTraceEnabled()) {
			dispatcher.trace("Creating streaming parameter channel '" + streamId + "'.");
		}
	}

	static void completingStream(String streamId) {
		if (dispatcher.isTraceEnabled()) {
			dispatcher.trace("Stream '" + streamId + "' has been completed by client.");
		}
	}

	static void closingStreamWithBindingError(String streamId, String error) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Stream '" + streamId + "' closed with error '" + error + "'.");
		}
	}

	static void unexpectedStreamItem() {
		dispatcher.debug("StreamItemMessage received unexpectedly.");
	}

	static void invalidHubParameters(String hubMethod, Throwable exception) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Parameters to hub method '" + hubMethod + "' are incorrect.", exception);
		}
	}

	static void invocationIdInUse(String invocationId) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("Invocation ID '" + invocationId + "' is already in use.");
		}
	}

	static void unexpectedCompletion(String invocationId) {
		if (dispatcher.isDebugEnabled()) {
			dispatcher.debug("CompletionMessage for invocation ID '" + invocationId + "' received unexpectedly.");
		}
	}

	// HubConnectionHandlerLog

	/** OnConnected or OnDisconnected failed. */
	static void errorDispatchingHubEvent(String hubName, String hubMethod, Throwable exception) {
		handler.error("Error when dispatching '" + hubMethod + "' on hub " + hubName + ".", exception);
	}

	/** What the client sent ended its connection (invalid data, a message over the size limit). */
	static void errorProcessingRequest(String connectionId, Throwable exception) {
		if (handler.isDebugEnabled()) {
			handler.debug("Error when processing requests of connection " + connectionId + ".", exception);
		}
	}

	// HubConnectionContext.Log

	static void handshakeComplete(String connectionId, String protocol) {
		if (connection.isDebugEnabled()) {
			connection.debug("Completed connection handshake of connection " + connectionId + ". Using HubProtocol '"
					+ protocol + "'.");
		}
	}

	static void handshakeCanceled(String connectionId) {
		if (connection.isDebugEnabled()) {
			connection.debug("Handshake was canceled on connection " + connectionId + ".");
		}
	}

	static void handshakeFailed(String connectionId, String error) {
		if (connection.isDebugEnabled()) {
			connection.debug("Failed connection handshake on connection " + connectionId + ": " + error);
		}
	}

	static void protocolVersionFailed(String protocol, int version) {
		if (connection.isDebugEnabled()) {
			connection.debug("Server does not support version " + version + " of the " + protocol + " protocol.");
		}
	}

	static void clientTimeout(String connectionId, long timeoutMillis) {
		if (connection.isDebugEnabled()) {
			connection.debug("Client timeout (" + timeoutMillis + "ms) elapsed without receiving a message from "
					+ "connection " + connectionId + ". Closing connection. The timeout can be configured with "
					+ "signalr.hub.client-timeout-interval.");
		}
	}

	static void handshakeSizeLimitExceeded(String connectionId, long maxMessageSize) {
		if (connection.isDebugEnabled()) {
			connection.debug("The maximum message size of " + maxMessageSize + "B was exceeded while parsing the "
					+ "Handshake of connection " + connectionId + ". The message size can be configured with "
					+ MAXIMUM_RECEIVE_MESSAGE_SIZE + ".");
		}
	}

}
