package io.github.springsignalr.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.springsignalr.HubException;
import io.github.springsignalr.HubExceptionHandler;

/**
 * {@link HubExceptionHandler} methods as a hub declares them: never callable by clients, checked at
 * startup, and the one closest to the exception's type chosen.
 */
class ExceptionHandlersTests {

	@Test
	void handlerMethodsAreNotHubMethods() {
		assertThat(HubDescriptor.of(ShopHub.class).methods()).containsOnlyKeys("order");
	}

	@Test
	void closestHandlerToTheExceptionsTypeAnswers() {
		ExceptionHandlers handlers = ExceptionHandlers.of(new ShopHub(), List.of());
		assertThat(handlers.handle(new IllegalArgumentException("x"), null)).isInstanceOf(HubException.class)
			.hasMessage("invalid: x");
		assertThat(handlers.handle(new IllegalStateException("y"), null)).hasMessage("runtime: y");
		assertThat(handlers.handle(new Error("z"), null)).isNull();
	}

	@Test
	void handlerThatReturnsNoErrorRefusesTheHub() {
		assertThatIllegalStateException().isThrownBy(() -> ExceptionHandlers.of(new VoidHandlerHub(), List.of()))
			.withMessage("@HubExceptionHandler method 'handle' of " + VoidHandlerHub.class.getName() + " returns void; "
					+ "return the client's error text (a String) or the exception to fail the invocation with.");
	}

	@Test
	void handlerThatTakesWhatIsNotSuppliedRefusesTheHub() {
		assertThatIllegalStateException().isThrownBy(() -> ExceptionHandlers.of(new OddParameterHub(), List.of()))
			.withMessage("@HubExceptionHandler method 'handle' of " + OddParameterHub.class.getName() + " takes a "
					+ "String; it may take the exception and a HubCallerContext.");
	}

	@Test
	void adviceHandlersComeAfterTheHubsOwn() {
		ExceptionHandlers handlers = ExceptionHandlers.of(new ShopHub(), List.of(new Advice()));
		assertThat(handlers.handle(new IllegalArgumentException("x"), null)).hasMessage("invalid: x");
		assertThat(handlers.handle(new Error("z"), null)).hasMessage("advice: z");
	}

	static class ShopHub {

		public void order(String item) {
		}

		@HubExceptionHandler
		public String invalid(IllegalArgumentException ex) {
			return "invalid: " + ex.getMessage();
		}

		@HubExceptionHandler
		String runtime(RuntimeException ex) {
			return "runtime: " + ex.getMessage();
		}

	}

	static class Advice {

		@HubExceptionHandler
		String invalid(IllegalArgumentException ex) {
			return "advice invalid";
		}

		@HubExceptionHandler(Error.class)
		HubException error(Throwable ex) {
			return new HubException("advice: " + ex.getMessage());
		}

	}

	static class VoidHandlerHub {

		@HubExceptionHandler
		void handle(RuntimeException ex) {
		}

	}

	static class OddParameterHub {

		@HubExceptionHandler
		String handle(RuntimeException ex, String other) {
			return other;
		}

	}

}
