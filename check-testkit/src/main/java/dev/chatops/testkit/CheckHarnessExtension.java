package dev.chatops.testkit;

import dev.chatops.core.spi.Check;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Gives test methods a {@link CheckHarness} for the check their class names with {@link TestedCheck}. */
public final class CheckHarnessExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CheckHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        TestedCheck tested = AnnotationSupport.findAnnotation(testClass, TestedCheck.class)
                .orElseThrow(() -> new ParameterResolutionException(testClass.getName()
                        + " takes a CheckHarness but does not say which check: annotate it with @TestedCheck"));
        try {
            Check check = tested.value().getConstructor().newInstance();
            return CheckHarness.of(check);
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("cannot make " + tested.value().getName()
                    + " with a public no-argument constructor, as the bot would: " + e, e);
        }
    }
}
