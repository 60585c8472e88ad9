package io.github.springsignalr.hub;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.method.MethodValidationResult;
import org.springframework.validation.method.MethodValidator;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;

import io.github.springsignalr.HubException;

/**
 * Bean Validation of a hub method's arguments, as Spring MVC validates a controller's: a method is
 * validated when a parameter is {@code @Valid} or carries a constraint, or when the method or the hub is
 * {@code @Validated} (whose groups apply). A violation fails the invocation with a {@link HubException}
 * whose text, which the client sees, lists each violation as {@code parameter[.field]: message}.
 */
final class ArgumentValidation {

	private static final String VALID = "jakarta.validation.Valid";

	private static final String CONSTRAINT = "jakarta.validation.Constraint";

	private static final String VALIDATED = "org.springframework.validation.annotation.Validated";

	private final MethodValidator validator;

	private ArgumentValidation(MethodValidator validator) {
		this.validator = validator;
	}

	/** The validation of {@code method}, or {@code null} when it asks for none. */
	static @Nullable ArgumentValidation of(@Nullable MethodValidator validator, Method method) {
		return (validator != null && isValidated(method)) ? new ArgumentValidation(validator) : null;
	}

	private static boolean isValidated(Method method) {
		if (AnnotatedElementUtils.hasAnnotation(method, Validated.class)
				|| AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), Validated.class)) {
			return true;
		}
		for (Annotation[] annotations : method.getParameterAnnotations()) {
			for (Annotation annotation : annotations) {
				Class<? extends Annotation> type = annotation.annotationType();
				if (type.getName().equals(VALID) || type.getName().equals(VALIDATED)) {
					return true;
				}
				for (Annotation meta : type.getAnnotations()) {
					if (meta.annotationType().getName().equals(CONSTRAINT)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** The groups of {@code @Validated} on the method, else on the hub's class, as Spring's method validation reads them. */
	private static Class<?>[] validationGroups(Object hub, Method method) {
		Validated validated = AnnotationUtils.findAnnotation(method, Validated.class);
		if (validated == null) {
			validated = AnnotationUtils.findAnnotation(ClassUtils.getUserClass(hub), Validated.class);
		}
		return (validated != null) ? validated.value() : new Class<?>[0];
	}

	/**
	 * Validates the values of every parameter.
	 * @throws HubException listing the violations
	 */
	void validate(Object hub, Method method, Object[] values) {
		Class<?>[] groups = validationGroups(hub, method);
		MethodValidationResult result = this.validator.validateArguments(hub, method, null, values, groups);
		if (!result.hasErrors()) {
			return;
		}
		List<String> violations = new ArrayList<>();
		List<String> names = HubParameters.names(method);
		for (ParameterValidationResult parameter : result.getParameterValidationResults()) {
			String name = names.get(parameter.getMethodParameter().getParameterIndex());
			if (parameter.getContainerIndex() != null) {
				name += "[" + parameter.getContainerIndex() + "]";
			}
			else if (parameter.getContainerKey() != null) {
				name += "[" + parameter.getContainerKey() + "]";
			}
			if (parameter instanceof ParameterErrors errors) {
				for (FieldError field : errors.getFieldErrors()) {
					violations.add(name + "." + field.getField() + ": " + field.getDefaultMessage());
				}
				for (ObjectError error : errors.getGlobalErrors()) {
					violations.add(name + ": " + error.getDefaultMessage());
				}
			}
			else {
				for (MessageSourceResolvable error : parameter.getResolvableErrors()) {
					violations.add(name + ": " + error.getDefaultMessage());
				}
			}
		}
		for (MessageSourceResolvable error : result.getCrossParameterValidationResults()) {
			violations.add(error.getDefaultMessage());
		}
		violations.sort(null);
		String text = "Invalid arguments: " + String.join("; ", violations) + ".";
		throw new HubException(text, new Violations(text));
	}

	/** Whether an invocation failed on its arguments' constraints (the client's error, not the hub's). */
	static boolean isViolation(Throwable error) {
		return error instanceof HubException && error.getCause() instanceof Violations;
	}

	/** Marks the {@link HubException} of constraint violations, for the log. */
	private static final class Violations extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Violations(String message) {
			super(message, null, false, false);
		}

	}

}
