package io.github.springsignalr.hub;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import io.github.springsignalr.Hub;
import io.github.springsignalr.HubContext;

/**
 * Registers a {@code HubContext<H>} bean for every {@link Hub @Hub} bean {@code H}, so that any bean can
 * inject the context of a hub by its type. Each context finds its hub's lifetime manager in the
 * application's {@link HubRuntime} on first use.
 */
public final class HubContextRegistrar implements BeanDefinitionRegistryPostProcessor {

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
			return;
		}
		for (String name : registry.getBeanDefinitionNames()) {
			Class<?> type = beanFactory.getType(name, false);
			if (type == null) {
				continue;
			}
			Class<?> hubClass = ClassUtils.getUserClass(type);
			if (!AnnotatedElementUtils.hasAnnotation(hubClass, Hub.class)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(DefaultHubContext.class);
			definition.setTargetType(ResolvableType.forClassWithGenerics(HubContext.class, hubClass));
			definition.setInstanceSupplier(
					() -> new DefaultHubContext<>(() -> runtime(beanFactory).lifetimeManager(hubClass)));
			registry.registerBeanDefinition(name + "HubContext", definition);
		}
	}

	private static HubRuntime runtime(BeanFactory beanFactory) {
		return beanFactory.getBean(HubRuntime.class);
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
	}
}
