package io.github.springsignalr.soak;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Every ERROR line the nodes log (Netty's {@code LEAK:} reports among them) while attached to the root
 * logger. The official Java client runs in the same JVM and logs its own failed calls: its loggers
 * ({@code com.microsoft.signalr}, OkHttp) are not the server's and are left out.
 */
final class ServerLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private static final List<String> CLIENT_LOGGERS = List.of("com.microsoft.signalr", "okhttp3");

	/** One ERROR line and when it was logged. */
	private record Line(long at, String text) {
	}

	private final List<Line> errors = new CopyOnWriteArrayList<>();

	private ServerLog() {
	}

	/** Attaches to the root logger; call after the nodes started (Spring Boot resets Logback at startup). */
	static ServerLog attach() {
		ServerLog log = new ServerLog();
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		log.setContext(context);
		log.setName("soak-errors");
		log.start();
		context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
		return log;
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (!event.getLevel().isGreaterOrEqual(Level.ERROR)
				|| CLIENT_LOGGERS.stream().anyMatch((name) -> event.getLoggerName().startsWith(name))) {
			return;
		}
		String line = event.getLevel() + " [" + event.getThreadName() + "] " + event.getLoggerName() + ": "
				+ event.getFormattedMessage();
		if (event.getThrowableProxy() != null) {
			line += System.lineSeparator() + ThrowableProxyUtil.asString(event.getThrowableProxy());
		}
		this.errors.add(new Line(event.getTimeStamp(), line));
	}

	/** The ERROR lines logged so far, with their stack traces. */
	List<String> errors() {
		return this.errors.stream().map(Line::text).toList();
	}

	/**
	 * The ERROR lines but those the Redis outage explains: a hub method that failed because the backplane
	 * could not publish (logged at ERROR as ASP.NET Core logs a throwing hub method), between {@code from}
	 * and {@code to} (epoch milliseconds).
	 */
	List<String> errorsNotExplainedByTheOutage(long from, long to) {
		return this.errors.stream()
			.filter((line) -> !(line.at() >= from && line.at() <= to && line.text().contains("Failed to invoke hub method")
					&& line.text().contains("RedisBackplaneException")))
			.map(Line::text)
			.toList();
	}

	/** The ERROR lines that are Netty's reports of a buffer garbage-collected without being released. */
	List<String> leaks() {
		return this.errors.stream().map(Line::text).filter((line) -> line.contains("LEAK:")).toList();
	}

	/** Forgets the lines that contain {@code marker} (a leak made on purpose). */
	void forget(String marker) {
		this.errors.removeIf((line) -> line.text().contains(marker));
	}

	@Override
	public void close() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
		stop();
	}

}
