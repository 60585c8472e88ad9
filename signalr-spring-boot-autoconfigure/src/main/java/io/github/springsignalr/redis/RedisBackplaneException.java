package io.github.springsignalr.redis;

/**
 * The Redis backplane could not do what was asked: Redis did not take a command, or the node that owns
 * a connection did not acknowledge a group command in time.
 */
public class RedisBackplaneException extends RuntimeException {

	public RedisBackplaneException(String message) {
		super(message);
	}

	public RedisBackplaneException(String message, Throwable cause) {
		super(message, cause);
	}

}
