// Command go-signalr is the benchmark peer built on github.com/philippseith/signalr: hub /bench with the
// scenario methods shared by every server of the side-by-side benchmark (echo, broadcast, join group, send to
// group; each message carries the sender's timestamp t and a payload p, delivered back unchanged as "m"(t, p)).
//
// Usage: go-signalr <port>. Prints "READY <port>" on stdout once the socket listens.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/philippseith/signalr"
)

// bench is created per invocation by the library's hub factory; it holds no state of its own.
type bench struct {
	signalr.Hub
}

// Echo sends "m"(t, p) back to the caller.
func (h *bench) Echo(t int64, p string) {
	h.Clients().Caller().Send("m", t, p)
}

// Broadcast sends "m"(t, p) to every connection.
func (h *bench) Broadcast(t int64, p string) {
	h.Clients().All().Send("m", t, p)
}

// JoinGroup adds the caller to group g; the completion is sent once it is a member.
func (h *bench) JoinGroup(g string) {
	h.Groups().AddToGroup(g, h.ConnectionID())
}

// SendToGroup sends "m"(t, p) to every member of group g.
func (h *bench) SendToGroup(g string, t int64, p string) {
	h.Clients().Group(g).Send("m", t, p)
}

// quiet drops the library's per-connection info log lines, which would otherwise be written to stderr
// for every connect and disconnect during the runs.
type quiet struct{}

func (quiet) Log(...interface{}) error { return nil }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-signalr <port>")
		os.Exit(2)
	}
	port, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad port:", os.Args[1])
		os.Exit(2)
	}
	server, err := signalr.NewServer(context.Background(),
		signalr.SimpleHubFactory(&bench{}),
		signalr.HTTPTransports(signalr.TransportWebSockets),
		signalr.InsecureSkipVerify(true),
		signalr.MaxNegotiationConnections(0),
		signalr.Logger(quiet{}, false))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	server.MapHTTP(signalr.WithHTTPServeMux(mux), "/bench")
	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("READY %d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := http.Serve(listener, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
