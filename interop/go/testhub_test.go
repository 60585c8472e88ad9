package interop

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/philippseith/signalr"
)

// setups lists every way the Go client connects to the conformance server in these tests. SSE with
// negotiate version 1 is missing on purpose: the client opens the event stream with id=<connectionToken> but
// POSTs with id=<connectionId>, which the server (like ASP.NET Core) answers 404, so the handshake fails.
var setups = []setup{
	{name: "WebSockets/JSON/negotiate-v0", hub: "/testhub",
		transports: []signalr.TransportType{signalr.TransportWebSockets},
		format:     signalr.TransferFormatText, wantTransport: "WebSockets", readsServerClose: true},
	{name: "WebSockets/JSON/negotiate-v1", hub: "/testhub", negotiateVersion: version(1),
		transports: []signalr.TransportType{signalr.TransportWebSockets},
		format:     signalr.TransferFormatText, wantTransport: "WebSockets", readsServerClose: true},
	{name: "ServerSentEvents/JSON/negotiate-v0", hub: "/testhub",
		transports: []signalr.TransportType{signalr.TransportServerSentEvents},
		format:     signalr.TransferFormatText, wantTransport: "ServerSentEvents"},
	// the client's default transports (WebSockets, then SSE) against a hub that offers SSE and long polling
	{name: "DefaultTransports-without-WebSockets/JSON/negotiate-v0", hub: "/testhub-nowebsockets",
		format: signalr.TransferFormatText, wantTransport: "ServerSentEvents"},
	{name: "WebSockets/MessagePack/negotiate-v0", hub: "/testhub",
		transports: []signalr.TransportType{signalr.TransportWebSockets},
		format:     signalr.TransferFormatBinary, wantTransport: "WebSockets"},
	{name: "WebSockets/MessagePack/negotiate-v1", hub: "/testhub", negotiateVersion: version(1),
		transports: []signalr.TransportType{signalr.TransportWebSockets},
		format:     signalr.TransferFormatBinary, wantTransport: "WebSockets"},
}

func TestTestHub(t *testing.T) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			// the setups run side by side: each stop test waits a few seconds for the server to let go
			t.Parallel()
			t.Run("NegotiatesTheRequestedVersionAndConnectsToTheNegotiatedConnection", func(t *testing.T) {
				negotiatesTheRequestedVersionAndConnectsToTheNegotiatedConnection(t, s)
			})
			t.Run("UsesTheExpectedTransport", func(t *testing.T) {
				usesTheExpectedTransport(t, s)
			})
			t.Run("InvokeEchoReturnsTheUnicodeArgument", func(t *testing.T) {
				invokeEchoReturnsTheUnicodeArgument(t, s)
			})
			t.Run("InvokeWithStringCallsTheReceiversMessageMethod", func(t *testing.T) {
				invokeWithStringCallsTheReceiversMessageMethod(t, s)
			})
			t.Run("ThrowExceptionReturnsTheDetailedServerError", func(t *testing.T) {
				throwExceptionReturnsTheDetailedServerError(t, s)
			})
			t.Run("UnknownMethodReturnsMethodDoesNotExist", func(t *testing.T) {
				unknownMethodReturnsMethodDoesNotExist(t, s)
			})
			t.Run("PullStreamYieldsTheStreamItemsInOrder", func(t *testing.T) {
				pullStreamYieldsTheStreamItemsInOrder(t, s)
			})
			t.Run("SendInvokesTheHubMethodWithoutAResult", func(t *testing.T) {
				sendInvokesTheHubMethodWithoutAResult(t, s)
			})
			t.Run("StopClosesTheClientAndTheServerForgetsTheConnection", func(t *testing.T) {
				stopClosesTheClientAndTheServerForgetsTheConnection(t, s)
			})
			if s.readsServerClose {
				t.Run("OversizedMessageMakesTheServerCloseTheConnection", func(t *testing.T) {
					oversizedMessageMakesTheServerCloseTheConnection(t, s)
				})
			}
		})
	}
}

func negotiatesTheRequestedVersionAndConnectsToTheNegotiatedConnection(t *testing.T, s setup) {
	sess := connect(t, s)
	n := sess.http.onlyNegotiation(t)
	offered := false
	for _, transport := range n.response.AvailableTransports {
		if transport.Transport == s.wantTransport {
			offered = true
		}
	}
	if !offered {
		t.Errorf("negotiate response does not offer %s: %+v", s.wantTransport, n.response.AvailableTransports)
	}
	if s.negotiateVersion == nil {
		if n.query.Has("negotiateVersion") {
			t.Errorf("the client sent negotiateVersion=%q without WithNegotiateVersion", n.query.Get("negotiateVersion"))
		}
		if n.response.NegotiateVersion == nil || *n.response.NegotiateVersion != 0 {
			t.Errorf("want negotiateVersion 0 for a request without negotiateVersion, got %v", deref(n.response.NegotiateVersion))
		}
		if n.response.ConnectionToken != nil {
			t.Errorf("a version 0 negotiate response must not carry a connectionToken, got %q", *n.response.ConnectionToken)
		}
	} else {
		if got := n.query.Get("negotiateVersion"); got != "1" {
			t.Errorf("want the client to send negotiateVersion=1, sent %q", got)
		}
		if n.response.NegotiateVersion == nil || *n.response.NegotiateVersion != 1 {
			t.Errorf("want negotiateVersion 1, got %v", deref(n.response.NegotiateVersion))
		}
		if n.response.ConnectionToken == nil || *n.response.ConnectionToken == "" ||
			*n.response.ConnectionToken == n.response.ConnectionID {
			t.Errorf("want a connectionToken distinct from the connectionId %q, got %v",
				n.response.ConnectionID, n.response.ConnectionToken)
		}
	}
	if sess.conn.ConnectionID() != n.response.ConnectionID {
		t.Errorf("client connection id %q differs from the negotiated %q", sess.conn.ConnectionID(), n.response.ConnectionID)
	}
	// the hub sees the negotiated connection: the transport request's id (connectionId for version 0,
	// connectionToken for version 1) found the connection that negotiate created
	callerID, err := sess.invoke(t, "GetCallerConnectionId")
	if err != nil {
		t.Fatalf("GetCallerConnectionId failed: %v", err)
	}
	if callerID != n.response.ConnectionID {
		t.Errorf("hub reports connection id %v, negotiated %q", callerID, n.response.ConnectionID)
	}
	if s.wantTransport == "ServerSentEvents" {
		wantID := n.response.ConnectionID
		if n.response.ConnectionToken != nil {
			wantID = *n.response.ConnectionToken
		}
		wantGet := "GET " + sess.hubURL + "?id=" + wantID
		found := false
		for _, request := range sess.http.recordedRequests() {
			if request == wantGet {
				found = true
			}
		}
		if !found {
			t.Errorf("want the event stream request %q, the client made %v", wantGet, sess.http.recordedRequests())
		}
	}
}

func usesTheExpectedTransport(t *testing.T, s setup) {
	sess := connect(t, s)
	transport, err := sess.invoke(t, "GetActiveTransportName")
	if err != nil {
		t.Fatalf("GetActiveTransportName failed: %v", err)
	}
	if transport != s.wantTransport {
		t.Errorf("want transport %q, the hub reports %v", s.wantTransport, transport)
	}
}

func invokeEchoReturnsTheUnicodeArgument(t *testing.T, s setup) {
	sess := connect(t, s)
	result, err := sess.invoke(t, "Echo", "你好")
	if err != nil {
		t.Fatalf("Echo failed: %v", err)
	}
	if result != "你好" {
		t.Errorf("want Echo result %q, got %#v", "你好", result)
	}
}

func invokeWithStringCallsTheReceiversMessageMethod(t *testing.T, s setup) {
	sess := connect(t, s)
	result, err := sess.invoke(t, "InvokeWithString", "hello from the server")
	if err != nil {
		t.Fatalf("InvokeWithString failed: %v", err)
	}
	if result != nil {
		t.Errorf("InvokeWithString returns nothing, the client got %#v", result)
	}
	if message := sess.nextMessage(t); message != "hello from the server" {
		t.Errorf("want the Message callback with %q, got %q", "hello from the server", message)
	}
}

func throwExceptionReturnsTheDetailedServerError(t *testing.T, s setup) {
	sess := connect(t, s)
	result, err := sess.invoke(t, "ThrowException", "an error from the hub")
	want := "An unexpected error occurred invoking 'ThrowException' on the server. " +
		"InvalidOperationException: an error from the hub"
	if err == nil || err.Error() != want {
		t.Errorf("want the error %q, got error %v and result %#v", want, err, result)
	}
	// the connection stays usable after a failed invocation
	if echoed, err := sess.invoke(t, "Echo", "still here"); err != nil || echoed != "still here" {
		t.Errorf("Echo after the error: want %q, got %#v, %v", "still here", echoed, err)
	}
}

func unknownMethodReturnsMethodDoesNotExist(t *testing.T, s setup) {
	sess := connect(t, s)
	_, err := sess.invoke(t, "NoSuchMethod")
	want := "Failed to invoke 'NoSuchMethod' due to an error on the server. HubException: Method does not exist."
	if err == nil || err.Error() != want {
		t.Errorf("want the error %q, got %v", want, err)
	}
}

func pullStreamYieldsTheStreamItemsInOrder(t *testing.T, s setup) {
	sess := connect(t, s)
	items, err := sess.pullStream(t, "Stream")
	if err != nil {
		t.Errorf("the stream ended with an error: %v", err)
	}
	want := []interface{}{"a", "b", "c"}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("want stream items %#v, got %#v", want, items)
	}
	// the connection stays usable after the stream completed
	if echoed, err := sess.invoke(t, "Echo", "after the stream"); err != nil || echoed != "after the stream" {
		t.Errorf("Echo after the stream: want %q, got %#v, %v", "after the stream", echoed, err)
	}
}

func sendInvokesTheHubMethodWithoutAResult(t *testing.T, s setup) {
	sess := connect(t, s)
	if err := sess.send(t, "InvokeWithString", "sent, not invoked"); err != nil {
		t.Fatalf("Send failed: %v", err)
	}
	if message := sess.nextMessage(t); message != "sent, not invoked" {
		t.Errorf("want the Message callback with %q, got %q", "sent, not invoked", message)
	}
	if echoed, err := sess.invoke(t, "Echo", "after send"); err != nil || echoed != "after send" {
		t.Errorf("Echo after Send: want %q, got %#v, %v", "after send", echoed, err)
	}
}

func stopClosesTheClientAndTheServerForgetsTheConnection(t *testing.T, s setup) {
	sess := connect(t, s)
	n := sess.http.onlyNegotiation(t)
	// the transport requests name the connection by its token (version 1) or its id (version 0)
	id := n.response.ConnectionID
	if n.response.ConnectionToken != nil {
		id = *n.response.ConnectionToken
	}
	if status, body := probe(t, sess.hubURL, id); status == http.StatusNotFound {
		t.Fatalf("the server does not know the live connection %s: %d %q", id, status, body)
	}
	sess.stop(t)
	if state := sess.client.State(); state != signalr.ClientClosed {
		t.Errorf("want state ClientClosed after Stop, got %v", state)
	}
	if _, err := sess.invoke(t, "Echo", "too late"); err == nil || !strings.Contains(err.Error(), "client closed") {
		t.Errorf("want Invoke after Stop to fail with \"client closed\", got %v", err)
	}
	waitUntilGone(t, sess.hubURL, id)
}

func oversizedMessageMakesTheServerCloseTheConnection(t *testing.T, s setup) {
	sess := connect(t, s)
	// 40,000 characters exceed the server's maximum receive message size of 32 KB
	_, err := sess.invoke(t, "Echo", strings.Repeat("x", 40000))
	if err == nil {
		t.Fatalf("want the oversized invocation to fail")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := <-sess.client.WaitForState(ctx, signalr.ClientClosed); err != nil && !strings.HasPrefix(err.Error(), "client closed.") {
		t.Fatalf("client did not close within %v: %v", timeout, err)
	}
	// The server sends its Close message and then closes the WebSocket with 1000. The client reads frames and
	// parses messages in two goroutines, so it reports whichever reaches its loop first.
	closeError := "Connection closed with an error. InvalidDataException: The maximum message size of 32768B was exceeded. " +
		"The message size can be configured with signalr.hub.maximum-receive-message-size."
	normalClosure := "received close frame: status = StatusNormalClosure"
	got := sess.client.Err()
	if got == nil || (got.Error() != closeError && !strings.Contains(got.Error(), normalClosure)) {
		t.Errorf("want the client error %q from the server's Close, or a WebSocket normal closure, got %v", closeError, got)
	}
}

func deref(value *int) interface{} {
	if value == nil {
		return nil
	}
	return *value
}
