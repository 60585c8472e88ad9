package io.github.springsignalr.interop;

import java.time.Instant;
import java.util.UUID;

/** The {@code ComplexObject} of the reference's test hub. */
public record ComplexObject(String string, int[] intArray, byte[] byteArray, UUID guid, Instant dateTime) {
}
