/**
 * The conformance server on Spring MVC and Tomcat: the hubs of {@code io.github.springsignalr.interop}
 * with servlet twins of its routes filter and its security, so that the same real-client suites run
 * against both web stacks.
 */
@NullMarked
package io.github.springsignalr.interop.servlet;

import org.jspecify.annotations.NullMarked;
