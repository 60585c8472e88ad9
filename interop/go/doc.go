// Package interop drives the conformance server (module interop, hub /testhub) with the Go SignalR
// client github.com/philippseith/signalr. It holds tests only.
//
// The tests read the server's base URL from the environment variable SIGNALR_BASE_URL, for example
// http://localhost:8080. Without it every test run fails at once with a message that says so: there is
// no silent skip. The JUnit class GoClientTests starts the server on a random port and runs
// `go test ./... -count=1 -v` here with the variable set. To run them by hand, start the server
// (InteropApplication) and run
//
//	SIGNALR_BASE_URL=http://localhost:8080 go test ./... -count=1 -v
//
// SIGNALR_GO_DEBUG=1 adds the client's debug log (every message it writes and reads) to the test output.
package interop
