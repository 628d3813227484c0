package dev.chatops.checks.nginx502.fix;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.core.shell.ShellQuote;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The words of a suggested command that come from a host (an address, a path, a request's URI, a service
 * name). Clients write into the logs these come from, so a value goes into a command only when it is valid
 * for its kind, and then as one shell word: as it is when every character is one a POSIX shell reads
 * literally, else single-quoted. Otherwise the command names a placeholder such as {@code <URI>} and the
 * value stays in the evidence, where nobody runs it.
 */
public final class Words {

    public static final String URI = "<URI>";
    public static final String ADDRESS = "<ADDRESS>";
    public static final String HOST = "<HOST>";
    public static final String PATH = "<PATH>";
    public static final String SERVICE = "<SERVICE>";
    public static final String USER = "<USER>";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}))*\\.?");
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[A-Za-z0-9._@+/~-]{0,255}");
    /** A request path of unreserved characters, {@code /}, and percent-escapes; no query, no shell syntax. */
    private static final Pattern URI_PATH = Pattern.compile("/[A-Za-z0-9._~/@:+,=-]{0,512}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._:-]{0,127}");
    /** A login or group name as useradd accepts it (never starting with {@code -}, which would be an option). */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private Words() {
    }

    /** An IP literal or a DNS name, bare (IPv6 without brackets), quoted. */
    public static Optional<String> host(Endpoint e) {
        return e.isUnix() ? Optional.empty() : validHost(e.bareHost()).map(Words::word);
    }

    /** A name or IP literal as written (e.g. in a log message), quoted. */
    public static Optional<String> host(String name) {
        return validHost(name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name)
                .map(Words::word);
    }

    /** {@code host:port} ({@code [v6]:port}), quoted. */
    public static Optional<String> hostPort(Endpoint e) {
        return e.isUnix() || !validPort(e.port()) ? Optional.empty()
                : validHost(e.bareHost()).map(h -> word(e.key()));
    }

    /** {@code http://host:port/path}, quoted; empty unless every part is valid. */
    public static Optional<String> httpUrl(Endpoint e, String path) {
        if (e.isUnix() || !validPort(e.port()) || validHost(e.bareHost()).isEmpty() || !URI_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        return Optional.of(word("http://" + e.key() + path));
    }

    /**
     * {@code http://host:port} followed by the request path when the path is a plain one, else by the
     * {@link #URI} placeholder; empty when the address itself is not valid.
     */
    public static Optional<String> httpUrlOrPlaceholder(Endpoint e, Optional<String> path) {
        Optional<String> full = path.flatMap(p -> httpUrl(e, p));
        if (full.isPresent()) {
            return full;
        }
        return httpUrl(e, "/").map(u -> word("http://" + e.key()) + URI);
    }

    /** A request path that is safe to ask for again, quoted. */
    public static Optional<String> uriPath(String path) {
        return URI_PATH.matcher(path).matches() ? Optional.of(word(path)) : Optional.empty();
    }

    /** An absolute path of safe characters, quoted. */
    public static Optional<String> path(String path) {
        return ABSOLUTE_PATH.matcher(path).matches() && !path.contains("/../") ? Optional.of(word(path))
                : Optional.empty();
    }

    /** A service, unit or program name, quoted. */
    public static Optional<String> name(String name) {
        return NAME.matcher(name).matches() ? Optional.of(word(name)) : Optional.empty();
    }

    /** A user or group name, quoted. */
    public static Optional<String> user(String name) {
        return USER_NAME.matcher(name).matches() ? Optional.of(word(name)) : Optional.empty();
    }

    /** A TCP port, as digits. */
    public static Optional<String> port(int port) {
        return validPort(port) ? Optional.of(Integer.toString(port)) : Optional.empty();
    }

    /** Text shown inside a comment or a sentence (never as a command word): one line, printable, bounded. */
    public static String shown(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 200; i++) {
            char c = value.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '`' || c == '\'' ? '?' : c);
        }
        return sb.toString();
    }

    /** One shell word: the value itself when a POSIX shell reads every character literally, else quoted. */
    public static String word(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean inert = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "@%+=:,./_-".indexOf(c) >= 0;
            if (!inert) {
                return ShellQuote.quote(value);
            }
        }
        return value.isEmpty() ? "''" : value;
    }

    private static boolean validPort(int port) {
        return port > 0 && port < 65536;
    }

    private static Optional<String> validHost(String h) {
        if (h.length() > 253) {
            return Optional.empty();
        }
        if (IPV4.matcher(h).matches() || (h.contains(":") && IPV6.matcher(h).matches()) || HOSTNAME.matcher(h).matches()) {
            return Optional.of(h);
        }
        return Optional.empty();
    }
}
