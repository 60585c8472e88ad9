package io.github.springsignalr.protocol;

/** The first message of a hub connection: which protocol and version the client speaks. */
public record HandshakeRequest(String protocol, int version) {
}
