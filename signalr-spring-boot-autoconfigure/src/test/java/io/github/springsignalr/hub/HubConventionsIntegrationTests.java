package io.github.springsignalr.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubAdvice;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubException;
import io.github.springsignalr.HubExceptionHandler;

/**
 * Spring's conventions inside hubs, against a real server and the official Java client: Bean Validation
 * of arguments (violations are the client's error text) and exception handler methods, in the hub and
 * in a {@link HubAdvice} bean, that turn an application's exception into the client's error in one place.
 */
@ExtendWith(OutputCaptureExtension.class)
class HubConventionsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String FAILED = "An unexpected error occurred invoking '%s' on the server. HubException: %s";

	private static ConfigurableApplicationContext server;

	private static int port;

	private HubConnection client;

	@BeforeAll
	static void start() {
		server = new SpringApplicationBuilder(ConventionsApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run();
		port = ((WebServerApplicationContext) server).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void connect() {
		this.client = HubConnectionBuilder.create("http://localhost:" + port + "/shop").build();
		assertThat(this.client.start().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
	}

	@AfterEach
	void disconnect() {
		this.client.stop().blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Test
	void validArgumentsReachTheMethod() {
		assertThat(this.client.invoke(String.class, "Order", new Order("tea", 2), "fast").blockingGet())
			.isEqualTo("2 x tea");
	}

	@Test
	void constraintViolationsAreTheClientsErrorText(CapturedOutput output) {
		assertThatThrownBy(() -> this.client.invoke(String.class, "Order", new Order(" ", 0), "").blockingGet())
			.hasMessage(FAILED.formatted("Order", "Invalid arguments: note: must not be blank; order.item: must not "
					+ "be blank; order.quantity: must be greater than 0."));
		assertThat(output.getAll()).doesNotContain("Failed to invoke hub method 'Order'");
	}

	@Test
	void hubsOwnExceptionHandlerAnswersTheClient(CapturedOutput output) {
		assertThatThrownBy(() -> this.client.invoke(String.class, "Order", new Order("coffee", 1), "x").blockingGet())
			.hasMessage(FAILED.formatted("Order", "Sorry, coffee is sold out"));
		assertThat(output.getAll()).doesNotContain("Failed to invoke hub method 'Order'");
	}

	@Test
	void adviceExceptionHandlerAnswersForEveryHub() {
		assertThatThrownBy(() -> this.client.invoke(String.class, "Cancel", "42").blockingGet())
			.hasMessage(FAILED.formatted("Cancel", "Order 42 cannot be cancelled (conn "
					+ this.client.getConnectionId() + ")"));
	}

	@Test
	void hubsOwnHandlerIsPreferredOverTheAdvice() {
		assertThatThrownBy(() -> this.client.invoke(String.class, "Refund", "42").blockingGet())
			.hasMessage(FAILED.formatted("Refund", "The shop handles this one"));
	}

	@Test
	void streamErrorsGoThroughTheHandlersToo() {
		assertThatThrownBy(() -> this.client.stream(String.class, "Menu").blockingLast())
			.hasMessage("An error occurred on the server while streaming results. HubException: Sorry, menu is sold "
					+ "out");
	}

	@Test
	void unhandledExceptionsKeepTheGenericText(CapturedOutput output) {
		assertThatThrownBy(() -> this.client.invoke(String.class, "Crash").blockingGet())
			.hasMessage("An unexpected error occurred invoking 'Crash' on the server.");
		assertThat(output.getAll()).containsPattern("ERROR .*Failed to invoke hub method 'Crash'\\.");
	}

	record Order(@NotBlank String item, @Positive int quantity) {
	}

	static class OutOfStockException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final String item;

		OutOfStockException(String item) {
			this.item = item;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ShopHub.class, ShopAdvice.class })
	static class ConventionsApplication {

	}

	@Hub("/shop")
	static class ShopHub {

		public String order(@Valid Order order, @NotBlank @Size(max = 20) String note) {
			if (order.item().equals("coffee")) {
				throw new OutOfStockException(order.item());
			}
			return order.quantity() + " x " + order.item();
		}

		public void cancel(String id) {
			throw new IllegalArgumentException(id);
		}

		public void refund(String id) {
			throw new UnsupportedOperationException(id);
		}

		public Flux<String> menu() {
			return Flux.error(new OutOfStockException("menu"));
		}

		public void crash() {
			throw new IllegalStateException("bug");
		}

		@HubExceptionHandler
		String outOfStock(OutOfStockException ex) {
			return "Sorry, " + ex.item + " is sold out";
		}

		@HubExceptionHandler(UnsupportedOperationException.class)
		HubException unsupported() {
			return new HubException("The shop handles this one");
		}

	}

	@HubAdvice
	static class ShopAdvice {

		@HubExceptionHandler
		String invalid(IllegalArgumentException ex, HubCallerContext caller) {
			return "Order " + ex.getMessage() + " cannot be cancelled (conn " + caller.connectionId() + ")";
		}

		@HubExceptionHandler
		String unsupported(UnsupportedOperationException ex) {
			return "The advice handles this one";
		}

	}

}
