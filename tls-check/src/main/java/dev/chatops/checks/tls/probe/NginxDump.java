package dev.chatops.checks.tls.probe;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.ConfigDump;
import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code nginx} probe found: each root-owned nginx master and the configuration it runs with
 * ({@code nginx -T}, or its files read one by one when this user may not run {@code nginx -T}). Host text,
 * read strictly: only whole {@code @@tls} marker lines count, and a config is only ever parsed.
 *
 * @param instances the masters read, at most four
 * @param problems  why a master's config could not be read, one sentence each
 * @param installed false when no nginx binary was found at all
 * @param running   false when no root-owned master runs (the installed config was read instead)
 */
public record NginxDump(List<Instance> instances, List<String> problems, boolean installed, boolean running) {

    private static final Pattern INSTANCE = Pattern.compile(
            "@@tls instance pid=(\\d{1,10}) bin=(\\S{0,255}) prefix=(\\S{0,255}) conf=(\\S{0,255})");
    private static final Pattern PATHS = Pattern.compile("@@tls paths prefix=(\\S{1,255}) conf=(\\S{1,255})");
    private static final Pattern IGNORED = Pattern.compile("@@tls ignored pid=(\\d{1,10}) why=not run by root");
    private static final Pattern DUMP = Pattern.compile("@@tls dump exit=(\\d{1,3})");
    private static final int MAX_INSTANCES = 4;

    /** One master and its configuration; {@code config} is empty when none could be read. */
    public record Instance(long pid, String binary, NginxConfig config, String source) {
        public Instance {
            requireNonNull(binary, "binary is null");
            requireNonNull(config, "config is null");
            requireNonNull(source, "source is null");
        }
    }

    public NginxDump {
        instances = List.copyOf(requireNonNull(instances, "instances is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    public List<NginxConfig> configs() {
        return instances.stream().map(Instance::config).filter(c -> !c.isEmpty()).toList();
    }

    public static NginxDump parse(String stdout) {
        List<Instance> instances = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean installed = true;
        boolean running = true;
        String[] lines = stdout.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.equals("@@tls not-installed")) {
                installed = false;
            } else if (line.startsWith("@@tls not-running bin=")) {
                running = false;
            }
            Matcher ignored = IGNORED.matcher(line);
            if (ignored.matches() && problems.size() < 8) {
                problems.add("a process " + ignored.group(1) + " calls itself an nginx master but root does not run it, "
                        + "so its config was not read");
            }
            Matcher m = INSTANCE.matcher(line);
            if (!m.matches() || instances.size() >= MAX_INSTANCES) {
                i++;
                continue;
            }
            long pid = Long.parseLong(m.group(1));
            String who = pid == 0 ? "the installed nginx (not running)" : "nginx master " + pid;
            String bin = m.group(2);
            String prefix = "";
            StringBuilder dump = new StringBuilder();
            StringBuilder walk = new StringBuilder();
            int exit = -1;
            String refused = "";
            boolean noBinary = false;
            i++;
            StringBuilder into = null;
            for (; i < lines.length && !INSTANCE.matcher(lines[i]).matches(); i++) {
                String l = lines[i];
                Matcher p = PATHS.matcher(l);
                Matcher d = DUMP.matcher(l);
                if (into != null && !l.equals("@@tls dump-end") && !l.equals("@@tls walk-end")) {
                    into.append(l).append('\n');
                } else if (l.equals("@@tls dump-end") || l.equals("@@tls walk-end")) {
                    into = null;
                } else if (p.matches()) {
                    prefix = p.group(1);
                } else if (d.matches()) {
                    exit = Integer.parseInt(d.group(1));
                    into = dump;
                } else if (l.equals("@@tls walk")) {
                    into = walk;
                } else if (l.startsWith("@@tls refused arg=")) {
                    refused = l.substring("@@tls refused arg=".length());
                } else if (l.equals("@@tls no-binary")) {
                    noBinary = true;
                }
            }
            String text = exit == 0 ? dump.toString() : walk.toString();
            ConfigDump parsed = ConfigDump.parse(text);
            NginxConfig config = parsed.isEmpty() ? NginxConfig.empty() : NginxConfig.from(parsed, prefix);
            instances.add(new Instance(pid, bin, config, exit == 0 ? "nginx -T" : "its files"));
            if (noBinary) {
                problems.add(who + " runs no root-owned nginx binary this check recognises, so its config was not "
                        + "read");
            } else if (!refused.isEmpty()) {
                problems.add(who + " was started with a " + (refused.equals("-p") ? "-p" : "-c") + " path that root "
                        + "does not own or others can write, so its config was not read; make it root-owned (chown "
                        + "root and chmod go-w on it and the directories above it)");
            } else if (config.isEmpty()) {
                problems.add(who + ": its config could not be read (" + firstMessage(dump.toString())
                        + "); let the bot's user read /etc/nginx (chmod -R o+rX /etc/nginx, keys stay private)");
            }
        }
        return new NginxDump(instances, problems, installed, running);
    }

    private static String firstMessage(String dump) {
        Optional<String> first = dump.lines().filter(l -> !l.isBlank()).findFirst();
        String s = first.orElse("nginx -T printed nothing");
        s = s.length() > 160 ? s.substring(0, 160) + "…" : s;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
