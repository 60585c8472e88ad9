package io.github.springsignalr;

/** A {@link ClientProxy} for exactly one connection. */
public interface SingleClientProxy extends ClientProxy {
}
