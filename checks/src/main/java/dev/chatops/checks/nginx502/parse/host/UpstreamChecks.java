package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.nginx.config.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the follow-up probe found when it tried each upstream address from this host: TCP connect,
 * HTTP answer, TLS handshake and certificate verification, unix socket mode, names resolved now.
 */
public record UpstreamChecks(Map<String, List<String>> byTag) {

    private static final Pattern EXIT = Pattern.compile("exit=(\\d+)");
    private static final Pattern CODE = Pattern.compile("code=(\\d{3})");
    private static final Pattern TTFB = Pattern.compile("ttfb=([\\d.]+)");

    public UpstreamChecks {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        requireNonNull(byTag, "byTag is null").forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byTag = java.util.Collections.unmodifiableMap(copy);
    }

    public static UpstreamChecks none() {
        return new UpstreamChecks(Map.of());
    }

    public static UpstreamChecks parse(String output) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            out.computeIfAbsent(line.substring(0, sp), k -> new ArrayList<>()).add(line.substring(sp + 1));
        }
        return new UpstreamChecks(out);
    }

    /** How a TCP endpoint answered. */
    public record TcpResult(OptionalInt httpExit, OptionalInt httpCode, String httpError, OptionalDouble ttfb,
                            boolean tlsConnected, boolean tlsHandshake, Optional<String> verify,
                            Optional<String> subject, List<String> tlsLines, OptionalInt httpsExit,
                            OptionalInt httpsCode) {

        /** The TCP connection was refused or never answered. */
        public boolean unreachable() {
            return httpExit.isPresent() && (httpExit.getAsInt() == 7 || httpExit.getAsInt() == 28
                    && httpError.contains("onnect"));
        }

        public boolean refused() {
            return httpExit.isPresent() && httpExit.getAsInt() == 7;
        }

        /** It answered plain HTTP with a status line. */
        public boolean speaksHttp() {
            return httpCode.isPresent() && httpCode.getAsInt() > 0;
        }

        /** It completed a TLS handshake (whatever the certificate). */
        public boolean speaksTls() {
            return tlsHandshake;
        }

        public boolean verified() {
            return verify.map(v -> v.startsWith("0 ")).orElse(false);
        }
    }

    public Optional<TcpResult> tcp(Endpoint e) {
        List<String> lines = byTag.get(Nginx502Probes.tag(e));
        if (lines == null) {
            return Optional.empty();
        }
        OptionalInt httpExit = OptionalInt.empty();
        OptionalInt httpCode = OptionalInt.empty();
        OptionalInt httpsExit = OptionalInt.empty();
        OptionalInt httpsCode = OptionalInt.empty();
        OptionalDouble ttfb = OptionalDouble.empty();
        String httpError = "";
        boolean connected = false;
        boolean handshake = false;
        Optional<String> verify = Optional.empty();
        Optional<String> subject = Optional.empty();
        List<String> tls = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("http ") || l.startsWith("tcp ")) {
                httpExit = intOf(EXIT, l);
                OptionalInt code = intOf(CODE, l);
                httpCode = code.isPresent() && code.getAsInt() > 0 ? code : OptionalInt.empty();
                Matcher t = TTFB.matcher(l);
                if (t.find()) {
                    ttfb = OptionalDouble.of(Double.parseDouble(t.group(1)));
                }
                int curl = l.indexOf("curl: ");
                if (curl >= 0) {
                    int end = l.indexOf(" code=", curl);
                    httpError = l.substring(curl, end > 0 ? end : l.length()).strip();
                }
            } else if (l.startsWith("https ")) {
                httpsExit = intOf(EXIT, l);
                OptionalInt code = intOf(CODE, l);
                httpsCode = code.isPresent() && code.getAsInt() > 0 ? code : OptionalInt.empty();
            } else if (l.startsWith("tls ")) {
                String t = l.substring(4);
                tls.add(t);
                if (t.startsWith("CONNECTED")) {
                    connected = true;
                } else if (t.startsWith("Verify return code: ")) {
                    // printed even when no handshake happened ("New, (NONE)"): only a result, not a proof
                    verify = Optional.of(t.substring(20).strip());
                } else if (t.startsWith("verify error:")) {
                    handshake = true;
                    if (verify.isEmpty()) {
                        verify = Optional.of(t.replaceFirst("verify error:num=", "").replaceFirst(":", " (") + ")");
                    }
                } else if (t.startsWith("subject=")) {
                    subject = Optional.of(t.substring(8).strip());
                } else if (t.startsWith("New, ") && !t.contains("(NONE)")) {
                    handshake = true;
                } else if (t.strip().startsWith("Protocol") && !t.contains("NONE")) {
                    handshake = handshake || t.contains("TLS");
                }
            }
        }
        if (!handshake) {
            verify = Optional.empty();
        }
        return Optional.of(new TcpResult(httpExit, httpCode, httpError, ttfb, connected, handshake, verify, subject,
                tls, httpsExit, httpsCode));
    }

    /** How a unix socket looked: its mode, owner and group, and whether a connect worked. */
    public record UnixResult(Optional<String> mode, Optional<String> owner, Optional<String> group,
                             Optional<String> type, String error, OptionalInt connectExit, String connectError) {

        public boolean exists() {
            return mode.isPresent();
        }
    }

    public Optional<UnixResult> unix(Endpoint e) {
        List<String> lines = byTag.get(Nginx502Probes.tag(e));
        if (lines == null) {
            return Optional.empty();
        }
        Optional<String> mode = Optional.empty();
        Optional<String> owner = Optional.empty();
        Optional<String> group = Optional.empty();
        Optional<String> type = Optional.empty();
        String error = "";
        OptionalInt exit = OptionalInt.empty();
        String connectError = "";
        for (String l : lines) {
            if (l.startsWith("stat mode=")) {
                Matcher m = Pattern.compile("mode=(\\d+) type=(.*) owner=(\\S+) group=(\\S+)").matcher(l);
                if (m.find()) {
                    mode = Optional.of(m.group(1));
                    type = Optional.of(m.group(2));
                    owner = Optional.of(m.group(3));
                    group = Optional.of(m.group(4));
                }
            } else if (l.startsWith("stat:")) {
                error = l;
            } else if (l.startsWith("http ")) {
                exit = intOf(EXIT, l);
                int curl = l.indexOf("curl: ");
                connectError = curl >= 0 ? l.substring(curl).replaceFirst(" code=\\d+.*$", "") : "";
            }
        }
        return Optional.of(new UnixResult(mode, owner, group, type, error, exit, connectError));
    }

    /** The addresses a name resolves to now (empty when it does not resolve or was not asked). */
    public Optional<List<String>> resolved(String name) {
        List<String> lines = byTag.get("name:" + name);
        if (lines == null) {
            return Optional.empty();
        }
        return Optional.of(lines.stream().filter(l -> l.startsWith("addr ")).map(l -> l.substring(5).strip()).toList());
    }

    /** Whether a file exists on the host, as the follow-up's {@code stat} saw it. */
    public record FileResult(State state, String type) {

        public enum State { EXISTS, MISSING, UNKNOWN }

        public FileResult {
            requireNonNull(state, "state is null");
            requireNonNull(type, "type is null");
        }

        public boolean exists() {
            return state == State.EXISTS;
        }

        public boolean missing() {
            return state == State.MISSING;
        }
    }

    /** What the follow-up found at a path; empty when it did not look (older evidence, or not asked). */
    public Optional<FileResult> file(String path) {
        List<String> lines = byTag.get("file:" + path);
        if (lines == null) {
            return Optional.empty();
        }
        for (String l : lines) {
            Matcher m = Pattern.compile("^stat type=([a-z ]{1,40}) size=\\d+$").matcher(l);
            if (m.find()) {
                return Optional.of(new FileResult(FileResult.State.EXISTS, m.group(1)));
            }
            if (l.contains("No such file or directory") || l.contains("Not a directory")) {
                return Optional.of(new FileResult(FileResult.State.MISSING, ""));
            }
        }
        // permission denied, or no stat: nothing can be said
        return Optional.of(new FileResult(FileResult.State.UNKNOWN, ""));
    }

    /** The groups of a user, from {@code id USER}. */
    public List<String> groupsOf(String user) {
        List<String> lines = byTag.getOrDefault("user:" + user, List.of());
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = Pattern.compile("\\(([^)]+)\\)").matcher(l.replaceFirst("^id ", ""));
            while (m.find()) {
                if (!out.contains(m.group(1))) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    public boolean askedAbout(String user) {
        return byTag.containsKey("user:" + user);
    }

    private static OptionalInt intOf(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
