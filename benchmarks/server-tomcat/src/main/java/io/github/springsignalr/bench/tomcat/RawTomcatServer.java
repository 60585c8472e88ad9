package io.github.springsignalr.bench.tomcat;

import java.nio.file.Files;
import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.apache.tomcat.websocket.server.WsSci;
import org.jspecify.annotations.Nullable;

/**
 * The raw Tomcat WebSocket server: the benchmark hub's work ({@link RawTomcatHub}) on a plain Jakarta WebSocket
 * endpoint ({@link RawEndpoint}) at {@code /raw} of an embedded Tomcat, with nothing else: no Spring, no
 * servlet but the one Tomcat needs to map requests. The raw dialect of {@code server-netty} (one message a text
 * frame).
 *
 * <p>Tomcat's request threads are virtual threads where the JVM has them (Java 21+), as Spring Boot's
 * {@code spring.threads.virtual.enabled} makes them for the servlet row; {@code -Dbench.virtual-threads=false}
 * keeps Tomcat's platform thread pool. Usage: {@code java -jar server-tomcat.jar [port]}; prints
 * {@code READY <port>} once listening.
 */
public final class RawTomcatServer {

	private RawTomcatServer() {
	}

	public static void main(String[] args) throws Exception {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("port", 0);
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("bench-tomcat").toString());
		Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
		connector.setPort(port);
		connector.setProperty("address", "0.0.0.0");
		// the 10 000-connection scenarios exceed Tomcat's default of 8 192 connections (as in the STOMP peer)
		connector.setProperty("maxConnections", "100000");
		connector.setProperty("acceptCount", "1000");
		if (Runtime.version().feature() >= 21 && Boolean.parseBoolean(System.getProperty("bench.virtual-threads", "true"))) {
			((AbstractProtocol<?>) connector.getProtocolHandler()).setExecutor(new VirtualThreadExecutor("tomcat-handler-"));
		}
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		context.addServletContainerInitializer(new WsSci(), null);
		context.addServletContainerInitializer(new Endpoints(new RawTomcatHub()), null);
		// without a servlet for the path Tomcat answers 404 before WebSocket's upgrade filter runs
		Tomcat.addServlet(context, "none", new NoContent());
		context.addServletMappingDecoded("/", "none");
		tomcat.start();
		System.out.println("READY " + connector.getLocalPort());
		tomcat.getServer().await();
	}

	/** Registers the endpoint once Tomcat's WebSocket container exists (after {@link WsSci}). */
	private static final class Endpoints implements ServletContainerInitializer {

		private final RawTomcatHub hub;

		Endpoints(RawTomcatHub hub) {
			this.hub = hub;
		}

		@Override
		public void onStartup(@Nullable Set<Class<?>> classes, ServletContext servletContext) {
			ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
			RawTomcatHub hub = this.hub;
			try {
				container.addEndpoint(ServerEndpointConfig.Builder.create(RawEndpoint.class, "/raw")
					.configurator(new ServerEndpointConfig.Configurator() {
						@Override
						public <T> T getEndpointInstance(Class<T> type) {
							return type.cast(new RawEndpoint(hub));
						}
					})
					.build());
			}
			catch (DeploymentException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/** The servlet of every path but the endpoint's (404 from {@link HttpServlet}'s own GET). */
	private static final class NoContent extends HttpServlet {

		private static final long serialVersionUID = 1L;
	}
}
