package interop

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// resultReceiver answers the server's "Result" invocations: a receiver method with a return value is a
// client result for the Go client, sent back in the Completion of the server's invocation.
type resultReceiver struct {
	*messageReceiver
	value int
}

// Result is called by the client when the server invokes "Result" on it.
func (r *resultReceiver) Result() int {
	return r.value
}

// failingResultReceiver's Result panics: the client recovers and completes the invocation with the panic
// value as the error (followed by a newline and, only with EnableDetailedErrors, the stack).
type failingResultReceiver struct {
	*messageReceiver
}

// Result is called by the client when the server invokes "Result" on it.
func (r *failingResultReceiver) Result() int {
	panic("from callback")
}

// featureSetups are the setups of TestTestHub that reach /testhub, the hub the client-result route uses.
func featureSetups() []setup {
	var selected []setup
	for _, s := range setups {
		if s.hub == "/testhub" {
			selected = append(selected, s)
		}
	}
	return selected
}

func TestFeatures(t *testing.T) {
	for _, s := range featureSetups() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			t.Run("GroupMembersReceiveGroupSendsUntilTheyLeave", func(t *testing.T) {
				groupMembersReceiveGroupSendsUntilTheyLeave(t, s)
			})
			t.Run("PushStreamsUploadsTheChannelItemsInOrder", func(t *testing.T) {
				pushStreamsUploadsTheChannelItemsInOrder(t, s)
			})
			t.Run("ClientResultIsTheReceiverMethodsReturnValue", func(t *testing.T) {
				clientResultIsTheReceiverMethodsReturnValue(t, s)
			})
			t.Run("ClientResultOfAPanickingReceiverMethodIsThePanicValue", func(t *testing.T) {
				clientResultOfAPanickingReceiverMethodIsThePanicValue(t, s)
			})
			t.Run("ClientResultWithoutAReceiverMethodIsUnknownMethod", func(t *testing.T) {
				clientResultWithoutAReceiverMethodIsUnknownMethod(t, s)
			})
		})
	}
}

func atClientsHub(s setup) setup {
	s.hub = "/clients-hub"
	return s
}

func groupMembersReceiveGroupSendsUntilTheyLeave(t *testing.T, s setup) {
	member := connect(t, atClientsHub(s))
	leaver := connect(t, atClientsHub(s))
	group := "group-" + s.name + "-" + time.Now().Format(time.RFC3339Nano)
	mustInvoke := func(sess *session, method string, arguments ...interface{}) interface{} {
		t.Helper()
		result, err := sess.invoke(t, method, arguments...)
		if err != nil {
			t.Fatalf("%s failed: %v", method, err)
		}
		return result
	}
	leaverID := mustInvoke(leaver, "GetCallerConnectionId")
	mustInvoke(member, "JoinGroup", group)
	mustInvoke(leaver, "JoinGroup", group)

	mustInvoke(member, "SendToGroup", group, "to both")
	if message := member.nextMessage(t); message != "to both" {
		t.Errorf("member: want %q, got %q", "to both", message)
	}
	if message := leaver.nextMessage(t); message != "to both" {
		t.Errorf("leaver: want %q, got %q", "to both", message)
	}

	mustInvoke(leaver, "LeaveGroup", group)
	mustInvoke(member, "SendToGroup", group, "after leaving")
	mustInvoke(member, "SendToConnection", leaverID, "sentinel")
	if message := member.nextMessage(t); message != "after leaving" {
		t.Errorf("member: want %q, got %q", "after leaving", message)
	}
	// messages to one connection arrive in order: the group send would have come before the sentinel
	if message := leaver.nextMessage(t); message != "sentinel" {
		t.Errorf("leaver got %q after leaving the group, want only the sentinel", message)
	}
}

func pushStreamsUploadsTheChannelItemsInOrder(t *testing.T, s setup) {
	sess := connect(t, s)
	items := make(chan string, 3)
	for _, item := range []string{"Hello ", "world", "!"} {
		items <- item
	}
	// the client sends the channel's items as StreamItems and a Completion once it is closed
	close(items)
	results := sess.client.PushStreams("StreamingConcat", items)
	var value interface{}
	deadline := time.After(timeout)
	for done := false; !done; {
		select {
		case result, ok := <-results:
			if !ok {
				done = true
				break
			}
			if result.Error != nil {
				t.Fatalf("StreamingConcat failed: %v", result.Error)
			}
			// the channel also carries the invocation's nil error as a result without a value
			if result.Value != nil {
				value = result.Value
			}
		case <-deadline:
			t.Fatalf("PushStreams(StreamingConcat) did not complete within %v (client error: %v)", timeout, sess.client.Err())
		}
	}
	if value != "Hello world!" {
		t.Errorf("want %q, got %#v", "Hello world!", value)
	}
}

// askForResult calls GET /clientresult/{connectionId}: the server invokes "Result" on the connection and
// answers with the client's result or error text.
func askForResult(t *testing.T, sess *session) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	request, err := http.NewRequestWithContext(ctx, http.MethodGet,
		baseURL+"/clientresult/"+url.PathEscape(sess.conn.ConnectionID()), nil)
	if err != nil {
		t.Fatalf("building the request: %v", err)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatalf("GET /clientresult: %v (client error: %v)", err, sess.client.Err())
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	if response.StatusCode != http.StatusOK {
		t.Fatalf("GET /clientresult answered %d %q", response.StatusCode, body)
	}
	return string(body)
}

func clientResultIsTheReceiverMethodsReturnValue(t *testing.T, s setup) {
	sess := connectWith(t, s, func(receiver *messageReceiver) interface{} {
		return &resultReceiver{messageReceiver: receiver, value: 10}
	})
	if answer := askForResult(t, sess); answer != "10" {
		t.Errorf("want the result %q, got %q", "10", answer)
	}
	if echoed, err := sess.invoke(t, "Echo", "after the result"); err != nil || echoed != "after the result" {
		t.Errorf("Echo after the result: want %q, got %#v, %v", "after the result", echoed, err)
	}
}

func clientResultOfAPanickingReceiverMethodIsThePanicValue(t *testing.T, s setup) {
	sess := connectWith(t, s, func(receiver *messageReceiver) interface{} {
		return &failingResultReceiver{messageReceiver: receiver}
	})
	// the client writes fmt.Sprintf("%v\n%v", panicValue, stack) with an empty stack unless detailed errors
	// are enabled on the client
	if answer := askForResult(t, sess); answer != "from callback\n" {
		t.Errorf("want the error %q, got %q", "from callback\n", answer)
	}
	if echoed, err := sess.invoke(t, "Echo", "after the error"); err != nil || echoed != "after the error" {
		t.Errorf("Echo after the error: want %q, got %#v, %v", "after the error", echoed, err)
	}
}

func clientResultWithoutAReceiverMethodIsUnknownMethod(t *testing.T, s setup) {
	sess := connect(t, s)
	if answer := askForResult(t, sess); answer != "Unknown method Result" {
		t.Errorf("want the client's error %q, got %q", "Unknown method Result", answer)
	}
}
