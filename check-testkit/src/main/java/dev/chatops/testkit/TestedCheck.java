package dev.chatops.testkit;

import dev.chatops.core.spi.Check;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Names the check a test class tests; its test methods may then take a {@link CheckHarness} for a
 * fresh instance of it (made with its public no-argument constructor, as the bot makes it).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CheckHarnessExtension.class)
public @interface TestedCheck {
    Class<? extends Check> value();
}
