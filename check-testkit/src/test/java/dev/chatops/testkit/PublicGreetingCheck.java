package dev.chatops.testkit;

/** {@link GreetingCheck} with the public no-argument constructor a plugin has. */
public final class PublicGreetingCheck extends GreetingCheck {
    public PublicGreetingCheck() {
        super();
    }
}
