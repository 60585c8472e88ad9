package io.github.springsignalr.hub;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.SpringAsmInfo;
import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;

import io.github.springsignalr.CallerState;
import io.github.springsignalr.GroupManager;
import io.github.springsignalr.HubCallerClients;
import io.github.springsignalr.HubCallerContext;
import io.github.springsignalr.HubClients;
import io.github.springsignalr.HubMethodArgumentResolver;
import io.github.springsignalr.Progress;
import reactor.core.publisher.Flux;

/**
 * Decides once, at startup, where each parameter of a hub method comes from: supplied by SignalR (the
 * caller's context, clients, groups, principal...), by an application's {@link HubMethodArgumentResolver},
 * or sent by the client. A parameter that none of them can give refuses the hub with a message naming
 * the hub, the method and the parameter, rather than failing every call.
 */
final class HubParameters {

	/** Packages whose types no client sends: the web stack, the reactive runtime, security. */
	private static final List<String> FRAMEWORK_PACKAGES = List.of("org.springframework.", "reactor.", "io.netty.",
			"jakarta.servlet.", "javax.servlet.", "java.security.");

	/** SignalR's API (HubContext, Connection...): supplied where listed, never sent. */
	private static final String API_PACKAGE = "io.github.springsignalr";

	/** Annotations from those packages that do not ask for anything to be supplied. */
	private static final List<String> NEUTRAL_ANNOTATIONS = List.of("org.springframework.lang.Nullable",
			"org.springframework.lang.NonNull", "org.springframework.validation.annotation.Validated");

	private static final String SUPPLIED = "SignalR supplies HubCallerContext, HubCallerClients, HubClients, "
			+ "GroupManager, Principal (or Spring Security's Authentication), Progress, CallerState, Flux or Publisher "
			+ "client streams, and what a HubMethodArgumentResolver bean supports (with Spring Security: "
			+ "@AuthenticationPrincipal values and OAuth 2 tokens such as Jwt); a client sends values it can "
			+ "serialize (strings, numbers, records, lists, maps)";

	private HubParameters() {
	}

	/** Where one parameter comes from, with the resolver that supplies it, if any. */
	record Supplied(HubMethod.Source source, @Nullable HubMethodArgumentResolver resolver,
			@Nullable MethodParameter parameter) {
	}

	/**
	 * Where parameter {@code index} of {@code method} comes from.
	 * @throws IllegalStateException when nothing can give it
	 */
	static Supplied of(Method method, int index, List<HubMethodArgumentResolver> resolvers) {
		Parameter parameter = method.getParameters()[index];
		MethodParameter methodParameter = new MethodParameter(method, index);
		for (HubMethodArgumentResolver resolver : resolvers) {
			if (resolver.supportsParameter(methodParameter)) {
				return new Supplied(HubMethod.Source.RESOLVED, resolver, methodParameter);
			}
		}
		HubMethod.Source source = frameworkSource(parameter.getType());
		if (source != null) {
			return new Supplied(source, null, null);
		}
		for (Annotation annotation : parameter.getAnnotations()) {
			String name = annotation.annotationType().getName();
			if (name.startsWith("org.springframework.") && !NEUTRAL_ANNOTATIONS.contains(name)) {
				throw refused(method, index, "is annotated with @" + annotation.annotationType().getSimpleName()
						+ ", which nothing supplies to hub methods");
			}
		}
		Class<?> type = parameter.getType();
		if (isFrameworkType(type)) {
			throw refused(method, index, "is neither sent by clients nor supplied by SignalR");
		}
		return new Supplied(HubMethod.Source.ARGUMENT, null, null);
	}

	private static HubMethod.@Nullable Source frameworkSource(Class<?> type) {
		if (type == HubCallerContext.class) {
			return HubMethod.Source.CONTEXT;
		}
		if (type == HubCallerClients.class || type == HubClients.class) {
			return HubMethod.Source.CLIENTS;
		}
		if (type == GroupManager.class) {
			return HubMethod.Source.GROUPS;
		}
		if (Principal.class.isAssignableFrom(type)) {
			return HubMethod.Source.PRINCIPAL;
		}
		if (type == Throwable.class) {
			return HubMethod.Source.THROWABLE;
		}
		if (type == Progress.class) {
			return HubMethod.Source.PROGRESS;
		}
		if (type == CallerState.class) {
			return HubMethod.Source.STATE;
		}
		if (type == Flux.class || type == Publisher.class) {
			return HubMethod.Source.STREAM;
		}
		return null;
	}

	private static boolean isFrameworkType(Class<?> type) {
		Class<?> element = type.isArray() ? type.getComponentType() : type;
		if (CompletionStage.class.isAssignableFrom(element) || Future.class.isAssignableFrom(element)
				|| Thread.class.isAssignableFrom(element)) {
			return true;
		}
		String name = element.getName();
		return element.getPackageName().equals(API_PACKAGE) || FRAMEWORK_PACKAGES.stream().anyMatch(name::startsWith);
	}

	private static IllegalStateException refused(Method method, int index, String why) {
		Parameter parameter = method.getParameters()[index];
		String name = "'" + names(method).get(index) + "'";
		return new IllegalStateException("Hub " + ClassUtils.getUserClass(method.getDeclaringClass()).getName()
				+ ": parameter " + name + " (" + parameter.getType().getSimpleName() + ") of hub method '"
				+ method.getName() + "' " + why + ". " + SUPPLIED + ". Remove the parameter, take one of those, or "
				+ "declare a HubMethodArgumentResolver bean that supplies it.");
	}

	/**
	 * The names of a method's parameters: as compiled with {@code -parameters}, read from the class file
	 * when an agent that rewrote the loaded class dropped them, else {@code arg0}, {@code arg1}...
	 */
	static List<String> names(Method method) {
		Parameter[] parameters = method.getParameters();
		List<String> compiled = (parameters.length > 0 && !parameters[0].isNamePresent())
				? compiledParameterNames(method) : List.of();
		List<String> names = new ArrayList<>(parameters.length);
		for (int i = 0; i < parameters.length; i++) {
			names.add((compiled.size() == parameters.length) ? compiled.get(i) : parameters[i].getName());
		}
		return names;
	}

	/** The MethodParameters attribute of the method in its class file, or an empty list. */
	private static List<String> compiledParameterNames(Method method) {
		Class<?> type = method.getDeclaringClass();
		String descriptor = org.springframework.asm.Type.getMethodDescriptor(method);
		List<String> names = new ArrayList<>();
		try (InputStream in = type.getResourceAsStream(ClassUtils.getClassFileName(type))) {
			if (in == null) {
				return List.of();
			}
			new ClassReader(in).accept(new ClassVisitor(SpringAsmInfo.ASM_VERSION) {
				@Override
				public @Nullable MethodVisitor visitMethod(int access, String name, String desc, String signature,
						String[] exceptions) {
					if (!name.equals(method.getName()) || !desc.equals(descriptor)) {
						return null;
					}
					return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {
						@Override
						public void visitParameter(String parameter, int parameterAccess) {
							names.add(parameter);
						}
					};
				}
			}, ClassReader.SKIP_CODE);
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
		return names;
	}

}
