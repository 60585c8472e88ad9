package io.github.springsignalr.interop;

/** The {@code CustomObject} of the reference's test hub. */
public record CustomObject(String name, int value) {
}
