package dev.chatops.checks.tls.probe;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.tls.cert.Pem;
import dev.chatops.checks.tls.target.Targets;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the follow-up probes read, matched back to the targets the config named: a file's section counts
 * only under a path the check asked for; key N is the N-th key file the same config names.
 */
public final class HostCerts {

    /** A certificate file: its certificates, or why there are none. */
    public record CertFile(String path, Pem.Certificates certificates, Optional<String> problem) {
        public CertFile {
            requireNonNull(path, "path is null");
            requireNonNull(certificates, "certificates is null");
            requireNonNull(problem, "problem is null");
        }
    }

    /** A key's public half (SubjectPublicKeyInfo DER), or why it could not be read. */
    public record KeyRead(String path, Optional<byte[]> publicKey, Optional<String> problem) {
        public KeyRead {
            requireNonNull(path, "path is null");
            requireNonNull(publicKey, "publicKey is null");
            requireNonNull(problem, "problem is null");
        }
    }

    /** What an HTTPS upstream presented, with openssl's verdict on it, or why nothing was read. */
    public record Presented(Pem.Certificates certificates, Optional<String> verify, Optional<String> problem) {
        public Presented {
            requireNonNull(certificates, "certificates is null");
            requireNonNull(verify, "verify is null");
            requireNonNull(problem, "problem is null");
        }
    }

    private static final Pattern VERIFY = Pattern.compile("Verify return code: (\\d{1,3}) \\(([ -~]{1,120})\\)");
    private static final Pattern FAILURE = Pattern.compile(
            ".*(Connection refused|Connection timed out|No route to host|Name or service not known|"
                    + "nodename nor servname|Temporary failure in name resolution|no peer certificate available|"
                    + "wrong version number|unexpected eof|alert [a-z ]{1,40}|errno=\\d{1,4}|[Uu]nknown option|not found).*");

    private HostCerts() {
    }

    public static Map<String, CertFile> certFiles(Evidence e, Targets targets) {
        Set<String> asked = new LinkedHashSet<>();
        targets.served().forEach(s -> asked.add(s.certPath()));
        Map<String, StringBuilder> sections = new HashMap<>();
        Optional<ProbeResult> r = e.probe(TlsProbes.CERTS);
        StringBuilder into = null;
        for (String line : e.stdout(TlsProbes.CERTS).split("\n", -1)) {
            if (line.startsWith("@@tls file ") && asked.contains(line.substring(11))) {
                into = sections.computeIfAbsent(line.substring(11), k -> new StringBuilder());
            } else if (into != null) {
                into.append(line).append('\n');
            }
        }
        Map<String, CertFile> out = new java.util.LinkedHashMap<>();
        for (String path : asked) {
            StringBuilder s = sections.get(path);
            Pem.Certificates none = new Pem.Certificates(List.of(), 0);
            if (s == null) {
                out.put(path, new CertFile(path, none, Optional.of(notRun(r, "the certificate files"))));
            } else if (s.toString().startsWith("@@tls missing\n")) {
                out.put(path, new CertFile(path, none, Optional.of("the file does not exist")));
            } else if (s.toString().startsWith("@@tls unreadable\n")) {
                out.put(path, new CertFile(path, none, Optional.of("the bot's user may not read it (a certificate "
                        + "is public: chmod o+r it and o+x the directories above it)")));
            } else {
                Pem.Certificates c = Pem.certificates(s.toString());
                out.put(path, new CertFile(path, c, c.isEmpty()
                        ? Optional.of("it holds no certificate this check could decode") : Optional.empty()));
            }
        }
        return out;
    }

    public static Map<String, KeyRead> keys(Evidence e, Targets targets) {
        Map<String, KeyRead> out = new java.util.LinkedHashMap<>();
        List<String> keys = targets.keyPaths();
        for (int i = 0; i < keys.size(); i++) {
            String path = keys.get(i);
            Optional<ProbeResult> r = e.probe(TlsProbes.KEY + i);
            if (r.isEmpty()) {
                out.put(path, new KeyRead(path, Optional.empty(), Optional.of(notRun(r, "the key"))));
                continue;
            }
            Optional<byte[]> key = r.get().ok() ? Pem.publicKey(r.get().stdout()) : Optional.empty();
            out.put(path, new KeyRead(path, key, key.isPresent() ? Optional.empty()
                    : Optional.of(failure(r.get()))));
        }
        return out;
    }

    public static List<Presented> upstreams(Evidence e, Targets targets) {
        List<Presented> out = new ArrayList<>();
        for (int i = 0; i < targets.upstreams().size(); i++) {
            Optional<ProbeResult> r = e.probe(TlsProbes.UPSTREAM + i);
            String text = r.map(ProbeResult::stdout).orElse("");
            Pem.Certificates none = new Pem.Certificates(List.of(), 0);
            if (r.isEmpty() || !text.contains("@@tls connect\n") && !text.contains("@@tls no-openssl")) {
                out.add(new Presented(none, Optional.empty(), Optional.of(notRun(r, "the upstream's certificate"))));
                continue;
            }
            if (text.contains("@@tls no-openssl\n")) {
                out.add(new Presented(none, Optional.empty(), Optional.of("openssl is not installed on the host "
                        + "(apt-get install openssl)")));
                continue;
            }
            Pem.Certificates c = Pem.certificates(text);
            Matcher v = VERIFY.matcher(text);
            Optional<String> verify = v.find() ? Optional.of(v.group(1) + " (" + v.group(2) + ")") : Optional.empty();
            Optional<String> problem = Optional.empty();
            if (c.isEmpty()) {
                problem = Optional.of(text.lines().filter(l -> FAILURE.matcher(l).matches()).findFirst()
                        .map(HostCerts::plainText).map(l -> "openssl s_client: " + l)
                        .orElse("the upstream presented no certificate"));
            }
            out.add(new Presented(c, verify, problem));
        }
        return out;
    }

    private static String notRun(Optional<ProbeResult> r, String what) {
        if (r.isEmpty()) {
            return "the probe that reads " + what + " did not run";
        }
        if (r.get().timedOut()) {
            return "the probe that reads " + what + " timed out";
        }
        return failure(r.get());
    }

    private static String failure(ProbeResult r) {
        String first = r.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .or(() -> r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst())
                .orElse("exit " + r.exit());
        return plainText(first);
    }

    private static String plainText(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
