/**
 * A hub for the Python and Go client tests (groups, and uploads whose result comes back as a callback
 * because some clients send them without an invocation id), and the test that puts clients of every
 * language, transport and protocol into one group.
 */
@NullMarked
package io.github.springsignalr.interop.clients;

import org.jspecify.annotations.NullMarked;
