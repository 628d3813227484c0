package dev.chatops.core.shell;

/** Quoting for the rare probe argument that comes from a host's own data (never from a user). */
public final class ShellQuote {

    private ShellQuote() {
    }

    /** Single-quotes a value for a POSIX shell: {@code it's} becomes {@code 'it'\''s'}. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot hold a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
