/** The raw Tomcat Jakarta WebSocket server: the upper bound of the servlet stack our starter runs on with Spring MVC. */
@NullMarked
package io.github.springsignalr.bench.tomcat;

import org.jspecify.annotations.NullMarked;
