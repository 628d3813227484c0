package dev.chatops.core.error;

import static java.util.Objects.requireNonNull;

/**
 * A failure the user can act on. The message is one sentence saying what is wrong and what to do;
 * the category says whose move it is (and gives the CLI its exit code).
 */
public class BotException extends RuntimeException {

    public enum Category {
        /** Malformed command, option or configuration. */
        BAD_INPUT(2),
        /** The host, channel or user is not allowed. */
        NOT_ALLOWED(3),
        /** The host could not be reached, or refused us (auth, host key). */
        EXTERNAL(4),
        /** A bug or a broken plugin. */
        INTERNAL(1);

        private final int exitCode;

        Category(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Category category;

    public BotException(Category category, String message) {
        super(requireNonNull(message, "message is null"));
        this.category = requireNonNull(category, "category is null");
    }

    public BotException(Category category, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.category = requireNonNull(category, "category is null");
    }

    public Category category() {
        return category;
    }

    public static BotException badInput(String message) {
        return new BotException(Category.BAD_INPUT, message);
    }

    public static BotException notAllowed(String message) {
        return new BotException(Category.NOT_ALLOWED, message);
    }
}
