package io.github.springsignalr.bench.loadgen.dialect;

import java.lang.reflect.Constructor;

import io.github.springsignalr.bench.loadgen.Dialect;

/**
 * Finds a dialect by the name a {@code servers.properties} row gives: {@code signalr-json},
 * {@code signalr-msgpack}, {@code signalr-json-sse}, {@code signalr-json-longpolling}, {@code signalr-legacy}
 * (classic ASP.NET SignalR 2 over WebSockets), {@code raw}, {@code raw-sse}, {@code raw-longpolling} (the raw
 * server's HTTP transports), or the fully qualified name of a {@link Dialect}
 * class with a public {@code (String path)} or no-argument constructor.
 */
public final class Dialects {

	private Dialects() {
	}

	public static Dialect create(String name, String path) {
		switch (name) {
			case "signalr-json":
				return new SignalRDialect(path, HubCodec.JSON);
			case "signalr-msgpack":
				return new SignalRDialect(path, HubCodec.MESSAGEPACK);
			case "signalr-json-sse":
				return new SignalRHttpDialect(path, false);
			case "signalr-json-longpolling":
				return new SignalRHttpDialect(path, true);
			case "signalr-legacy":
				return new LegacySignalRDialect(path);
			case "raw":
				return new RawDialect(path);
			case "raw-sse":
				return new RawHttpDialect(path, false);
			case "raw-longpolling":
				return new RawHttpDialect(path, true);
			default:
				return reflective(name, path);
		}
	}

	private static Dialect reflective(String className, String path) {
		try {
			Class<? extends Dialect> type = Class.forName(className).asSubclass(Dialect.class);
			try {
				Constructor<? extends Dialect> withPath = type.getConstructor(String.class);
				return withPath.newInstance(path);
			}
			catch (NoSuchMethodException ex) {
				return type.getConstructor().newInstance();
			}
		}
		catch (ReflectiveOperationException | ClassCastException ex) {
			throw new IllegalArgumentException("unknown dialect " + className, ex);
		}
	}
}
