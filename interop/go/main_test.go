package interop

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

// baseURLVariable names the environment variable that carries the conformance server's base URL.
const baseURLVariable = "SIGNALR_BASE_URL"

// baseURL is the server's base URL without a trailing slash, set by TestMain.
var baseURL string

func TestMain(m *testing.M) {
	value := strings.TrimRight(os.Getenv(baseURLVariable), "/")
	if value == "" {
		fmt.Fprintf(os.Stderr, "FAIL: %s is not set. These tests need a running conformance server: "+
			"start InteropApplication and run `%s=http://localhost:<port> go test ./... -count=1 -v`, "+
			"or run the JUnit class GoClientTests, which does both.\n", baseURLVariable, baseURLVariable)
		os.Exit(1)
	}
	if parsed, err := url.Parse(value); err != nil || parsed.Host == "" {
		fmt.Fprintf(os.Stderr, "FAIL: %s=%q is not an absolute URL\n", baseURLVariable, value)
		os.Exit(1)
	}
	baseURL = value
	os.Exit(m.Run())
}
