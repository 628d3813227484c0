package dev.chatops.checks.tls.probe;

import dev.chatops.checks.tls.target.Targets;
import dev.chatops.checks.tls.target.UpstreamTls;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Probe;
import dev.chatops.nginx.probe.NginxMasters;
import dev.chatops.nginx.probe.ProbeScripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The probes of the tls check. First the configuration ({@code nginx}); then, from what it names and
 * nothing else: the certificate files ({@code certs}), each key's public half as root ({@code key.N}, one
 * program with exact arguments, so one sudoers line allows it) and the chain each HTTPS upstream presents
 * ({@code upstream.N}).
 */
public final class TlsProbes {

    public static final String NGINX = "nginx";
    public static final String CERTS = "certs";
    public static final String KEY = "key.";
    public static final String UPSTREAM = "upstream.";

    static final long DUMP_BYTES = 4L * 1024 * 1024;

    private TlsProbes() {
    }

    public static List<Probe> first() {
        String own = script("nginx.sh").replace("@DUMP_BYTES@", Long.toString(DUMP_BYTES));
        return List.of(new Probe(NGINX, NginxMasters.functions() + own, Duration.ofSeconds(15), 12 * 1024 * 1024,
                false));
    }

    /** The command that prints a key's public half, never the key: what its sudoers line names. */
    public static String keyCommand(String keyPath) {
        return "openssl pkey -in " + ShellQuote.quote(keyPath) + " -pubout";
    }

    public static List<Probe> followUp(Targets targets) {
        List<Probe> out = new ArrayList<>();
        if (!targets.served().isEmpty()) {
            String paths = targets.served().stream().map(s -> ShellQuote.quote(s.certPath()))
                    .collect(Collectors.joining(" "));
            out.add(new Probe(CERTS, script("certs.sh").replace("@PATHS@", paths), Duration.ofSeconds(8),
                    (Targets.MAX_CERTS + 1) * 128 * 1024, false));
        }
        List<String> keys = targets.keyPaths();
        for (int i = 0; i < keys.size(); i++) {
            out.add(new Probe(KEY + i, keyCommand(keys.get(i)), Duration.ofSeconds(5), 16 * 1024, true));
        }
        for (int i = 0; i < targets.upstreams().size(); i++) {
            out.add(new Probe(UPSTREAM + i, upstreamScript(targets.upstreams().get(i)), Duration.ofSeconds(10),
                    300 * 1024, false));
        }
        return out;
    }

    static String upstreamScript(UpstreamTls u) {
        String name = u.sni() ? "-servername " + ShellQuote.quote(u.name()) : "-noservername";
        return script("upstream.sh").replace("@ADDRESS@", ShellQuote.quote(u.address())).replace("@NAME@", name);
    }

    private static String script(String name) {
        return ProbeScripts.read(TlsProbes.class, name);
    }
}
