package io.github.springsignalr.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} (or {@code DEFINED_PORT}) class: makes a
 * {@link HubTester} bean that reaches the test's server and speaks the application's JSON hub protocol
 * (its {@code JsonMapper}), ready to {@code @Autowired}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureHubTester {

}
