package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/philippseith/signalr"
)

// timeout bounds every single wait: negotiation, handshake, one invocation, one stream, stopping.
const timeout = 10 * time.Second

// setup says how one client connects: which hub, transports, negotiate version and protocol.
type setup struct {
	name string
	// hub is the hub's path, e.g. "/testhub".
	hub string
	// transports restricts the client's transports; nil keeps its default (WebSockets, then SSE).
	transports []signalr.TransportType
	// negotiateVersion is sent as ?negotiateVersion=n when not nil; nil means the client's default (none).
	negotiateVersion *int
	format           signalr.TransferFormatType
	// wantTransport is the transport the server must report for the connection.
	wantTransport string
	// readsServerClose says whether the client can read a Close message the server sends. It cannot with
	// MessagePack (it expects headers in Close and fails with "unexpected code ... decoding map length"), and
	// over SSE it often misses it (it drops the data of an HTTP body read that also returns io.EOF, which is
	// how the Close event arrives when the server ends the event stream right after it).
	readsServerClose bool
}

func version(v int) *int {
	return &v
}

// session is one started client with everything a test inspects.
type session struct {
	client   signalr.Client
	conn     signalr.Connection
	receiver *messageReceiver
	http     *recordingHTTPClient
	hubURL   string
	stopped  bool
}

// messageReceiver receives the server's "Message" callbacks (InvokeWithString sends them).
type messageReceiver struct {
	signalr.Receiver
	messages chan string
}

// Message is called by the client when the server invokes "Message" on it.
func (r *messageReceiver) Message(message string) {
	select {
	case r.messages <- message:
	default:
		// a test that floods the receiver fails on the missing message, never by blocking the client loop
	}
}

// testLogger sends the client's log lines to the test's log while the test runs.
type testLogger struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (l *testLogger) Log(keyVals ...interface{}) error {
	var line strings.Builder
	for i := 0; i+1 < len(keyVals); i += 2 {
		if i > 0 {
			line.WriteByte(' ')
		}
		fmt.Fprintf(&line, "%v=%v", keyVals[i], keyVals[i+1])
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Log("client: " + line.String())
	}
	return nil
}

// negotiation is one negotiate request the client made and the server's answer.
type negotiation struct {
	query    url.Values
	response negotiateResponse
}

type negotiateResponse struct {
	NegotiateVersion    *int    `json:"negotiateVersion"`
	ConnectionID        string  `json:"connectionId"`
	ConnectionToken     *string `json:"connectionToken"`
	AvailableTransports []struct {
		Transport       string   `json:"transport"`
		TransferFormats []string `json:"transferFormats"`
	} `json:"availableTransports"`
}

// recordingHTTPClient is the client's HTTP client (signalr.WithHTTPClient): it passes every request on
// and records the requests and the negotiate answers. WebSocket upgrades do not go through it.
type recordingHTTPClient struct {
	mu           sync.Mutex
	requests     []string
	negotiations []negotiation
	failures     []string
}

func (c *recordingHTTPClient) Do(request *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.requests = append(c.requests, request.Method+" "+request.URL.String())
	c.mu.Unlock()
	response, err := http.DefaultClient.Do(request)
	if err != nil || !strings.HasSuffix(request.URL.Path, "/negotiate") {
		return response, err
	}
	body, err := io.ReadAll(response.Body)
	_ = response.Body.Close()
	if err != nil {
		return nil, err
	}
	response.Body = io.NopCloser(bytes.NewReader(body))
	var parsed negotiateResponse
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := json.Unmarshal(body, &parsed); err != nil {
		c.failures = append(c.failures, fmt.Sprintf("negotiate answered %d %q: %v", response.StatusCode, body, err))
	} else {
		c.negotiations = append(c.negotiations, negotiation{query: request.URL.Query(), response: parsed})
	}
	return response, nil
}

func (c *recordingHTTPClient) recordedRequests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// onlyNegotiation returns the single negotiation of the session and fails the test otherwise.
func (c *recordingHTTPClient) onlyNegotiation(t *testing.T) negotiation {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.failures) > 0 {
		t.Fatalf("unreadable negotiate response: %v", c.failures)
	}
	if len(c.negotiations) != 1 {
		t.Fatalf("want exactly one negotiate request, got %d", len(c.negotiations))
	}
	return c.negotiations[0]
}

// connect negotiates, connects, completes the handshake and waits for the client to be connected.
// The client is stopped when the test ends, if the test did not stop it.
func connect(t *testing.T, s setup) *session {
	t.Helper()
	return connectWith(t, s, nil)
}

// connectWith is connect with a receiver of the test's own: wrap gets the session's messageReceiver and
// returns the receiver the client invokes (one embedding the messageReceiver keeps its Message method).
func connectWith(t *testing.T, s setup, wrap func(*messageReceiver) interface{}) *session {
	t.Helper()
	logger := &testLogger{t: t}
	t.Cleanup(func() {
		logger.mu.Lock()
		logger.done = true
		logger.mu.Unlock()
	})
	recorder := &recordingHTTPClient{}
	// The option type is unexported, so the optional option is a nil func when unused (the client skips nil).
	// WithTransports without arguments keeps the client's default transports.
	versionOption := signalr.WithNegotiateVersion(0)
	if s.negotiateVersion != nil {
		versionOption = signalr.WithNegotiateVersion(*s.negotiateVersion)
	} else {
		versionOption = nil
	}
	hubURL := baseURL + s.hub
	negotiateCtx, cancelNegotiate := context.WithTimeout(context.Background(), timeout)
	defer cancelNegotiate()
	conn, err := signalr.NewHTTPConnection(negotiateCtx, hubURL,
		signalr.WithHTTPClient(recorder), signalr.WithTransports(s.transports...), versionOption)
	if err != nil {
		t.Fatalf("negotiating and connecting to %s: %v (HTTP requests: %v)", hubURL, err, recorder.recordedRequests())
	}
	receiver := &messageReceiver{messages: make(chan string, 16)}
	var target interface{} = receiver
	if wrap != nil {
		target = wrap(receiver)
	}
	client, err := signalr.NewClient(context.Background(),
		signalr.WithConnection(conn),
		signalr.WithReceiver(target),
		signalr.TransferFormat(s.format),
		signalr.Logger(logger, os.Getenv("SIGNALR_GO_DEBUG") != ""))
	if err != nil {
		t.Fatalf("creating the client: %v", err)
	}
	sess := &session{client: client, conn: conn, receiver: receiver, http: recorder, hubURL: hubURL}
	t.Cleanup(func() {
		if !sess.stopped {
			sess.stop(t)
		}
	})
	client.Start()
	waitCtx, cancelWait := context.WithTimeout(context.Background(), timeout)
	defer cancelWait()
	if err := <-client.WaitForState(waitCtx, signalr.ClientConnected); err != nil {
		t.Fatalf("client did not reach ClientConnected within %v: %v (client error: %v)", timeout, err, client.Err())
	}
	return sess
}

// stop calls Client.Stop, which waits for the client loop to end, and fails if it does not return in time.
func (s *session) stop(t *testing.T) {
	t.Helper()
	s.stopped = true
	done := make(chan struct{})
	go func() {
		s.client.Stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		t.Errorf("Client.Stop did not return within %v", timeout)
	}
}

// invoke calls Client.Invoke and returns the result value and the error the client reports.
func (s *session) invoke(t *testing.T, method string, arguments ...interface{}) (interface{}, error) {
	t.Helper()
	results := s.client.Invoke(method, arguments...)
	var value interface{}
	var err error
	deadline := time.After(timeout)
	for {
		select {
		case result, ok := <-results:
			if !ok {
				return value, err
			}
			if result.Error != nil && err == nil {
				err = result.Error
			}
			if result.Value != nil && value == nil {
				value = result.Value
			}
		case <-deadline:
			t.Fatalf("Invoke(%q) did not complete within %v (client error: %v)", method, timeout, s.client.Err())
		}
	}
}

// pullStream calls Client.PullStream and returns every item and the error the client reports.
func (s *session) pullStream(t *testing.T, method string, arguments ...interface{}) ([]interface{}, error) {
	t.Helper()
	results := s.client.PullStream(method, arguments...)
	var items []interface{}
	var err error
	deadline := time.After(timeout)
	for {
		select {
		case result, ok := <-results:
			if !ok {
				return items, err
			}
			if result.Error != nil {
				if err == nil {
					err = result.Error
				}
			} else {
				items = append(items, result.Value)
			}
		case <-deadline:
			t.Fatalf("PullStream(%q) did not complete within %v; items so far %v (client error: %v)",
				method, timeout, items, s.client.Err())
		}
	}
}

// send calls Client.Send and returns the first error the client reports once its channel is closed.
func (s *session) send(t *testing.T, method string, arguments ...interface{}) error {
	t.Helper()
	errs := s.client.Send(method, arguments...)
	var first error
	deadline := time.After(timeout)
	for {
		select {
		case err, ok := <-errs:
			if !ok {
				return first
			}
			if err != nil && first == nil {
				first = err
			}
		case <-deadline:
			t.Fatalf("Send(%q) did not finish within %v (client error: %v)", method, timeout, s.client.Err())
		}
	}
}

// nextMessage waits for the next "Message" callback.
func (s *session) nextMessage(t *testing.T) string {
	t.Helper()
	select {
	case message := <-s.receiver.messages:
		return message
	case <-time.After(timeout):
		t.Fatalf("no \"Message\" callback within %v (client error: %v)", timeout, s.client.Err())
		return ""
	}
}

// probe POSTs an empty body to the transport URL with ?id=<id> and returns the status and body. An empty
// POST delivers nothing to a live connection; an unknown id is answered 404 "No Connection with that ID".
func probe(t *testing.T, hubURL, id string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, hubURL+"?id="+url.QueryEscape(id), nil)
	if err != nil {
		t.Fatalf("building the probe request: %v", err)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatalf("probing connection %s: %v", id, err)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	return response.StatusCode, string(body)
}

// waitUntilGone polls the transport URL until the server no longer knows the connection.
func waitUntilGone(t *testing.T, hubURL, id string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		status, body := probe(t, hubURL, id)
		if status == http.StatusNotFound && body == "No Connection with that ID" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still knows connection %s %v after the client stopped: last probe answered %d %q",
				id, timeout, status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
