/**
 * The soak test: two nodes sharing a real Redis under minutes of connection churn from the official
 * clients, abrupt disconnections, slow readers and a Redis restart, with paranoid leak detection. (Outside
 * {@code io.github.springsignalr.interop}, whose component scan would pick this application up.)
 */
@NullMarked
package io.github.springsignalr.soak;

import org.jspecify.annotations.NullMarked;
