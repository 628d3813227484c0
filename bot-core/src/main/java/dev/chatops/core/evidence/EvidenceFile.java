package dev.chatops.core.evidence;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Setting;
import dev.chatops.core.spi.Settings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The saved-evidence file: {@code {"format": 1, "redacted", "check", "host", "collectedAt", "window",
 * "settings": {NAME: value}, "probes": {NAME: {"command", "exit", "stdout", "stderr", "ms", "truncated"}}}}
 * ({@code "settings"} is the check's settings in force, absent in files written before checks had any). Written by
 * {@code --save-evidence}, read by {@code replay} and by the checks' tests.
 *
 * <p>Files are written readable by their owner only, with probe output redacted unless asked for raw.
 * Reading trusts nothing: a file over {@link #MAX_BYTES} is refused before it is read (a pipe as soon
 * as that much came through), and the format version, names, window and every required field are
 * checked. A file without {@code "format"} is read as format 1, the layout files had before the field
 * was added.
 */
public final class EvidenceFile {

    /** The format this code writes and the only one it reads. */
    public static final int FORMAT = 1;
    /**
     * The largest evidence file read: twice what the nginx502 probes' output caps allow in one run
     * (about 64 MiB), and small enough to parse in a modest heap.
     */
    public static final long MAX_BYTES = 128L * 1024 * 1024;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,39}");
    private static final Pattern PROBE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    private EvidenceFile() {
    }

    /** The evidence as collected, nothing redacted (for tests and round trips in memory). */
    public static String toJson(Evidence evidence) {
        return toJson(evidence, false);
    }

    /** The evidence with secrets redacted, exactly as {@link #write} puts it in a file, for {@code replay}. */
    public static String toRedactedJson(Evidence evidence) {
        return toJson(redacted(evidence), true);
    }

    private static String toJson(Evidence evidence, boolean redacted) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("redacted", redacted);
        root.addProperty("check", evidence.check());
        root.addProperty("host", evidence.host());
        root.addProperty("collectedAt", evidence.collectedAt().toString());
        root.addProperty("window", evidence.window().toString());
        JsonObject settings = new JsonObject();
        evidence.settings().values().forEach((name, v) -> {
            if (v instanceof Boolean b) {
                settings.addProperty(name, b);
            } else if (v instanceof Number n) {
                settings.addProperty(name, n);
            } else {
                settings.addProperty(name, v.toString());
            }
        });
        root.add("settings", settings);
        JsonObject probes = new JsonObject();
        evidence.probes().forEach((name, r) -> {
            JsonObject p = new JsonObject();
            p.addProperty("command", r.command());
            p.addProperty("exit", r.exit());
            p.addProperty("stdout", r.stdout());
            p.addProperty("stderr", r.stderr());
            p.addProperty("ms", r.ms());
            p.addProperty("truncated", r.truncated());
            probes.add(name, p);
        });
        root.add("probes", probes);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    /** The evidence with every probe's output passed through the {@link Redactor}. */
    public static Evidence redacted(Evidence evidence) {
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        evidence.probes().forEach((name, r) -> probes.put(name, new ProbeResult(r.command(), r.exit(),
                Redactor.redact(r.stdout()), Redactor.redact(r.stderr()), r.ms(), r.truncated())));
        return new Evidence(evidence.check(), evidence.host(), evidence.collectedAt(), evidence.window(), probes,
                evidence.settings());
    }

    /** Writes the evidence with secrets redacted, to a file only its owner can read. */
    public static void write(Evidence evidence, Path file) throws IOException {
        writePrivate(toRedactedJson(evidence), file);
    }

    /** Writes the evidence as collected, secrets included, to a file only its owner can read. */
    public static void writeRaw(Evidence evidence, Path file) throws IOException {
        writePrivate(toJson(evidence, false), file);
    }

    /**
     * Creates a new file with mode 0600 beside the target and moves it over, so the content never
     * exists with wider permissions, not even when an older file of that name was world-readable.
     */
    private static void writePrivate(String json, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @throws BotException (bad input) naming the file and what is wrong with it */
    public static Evidence read(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw tooBig(file.toString());
            }
            // parsed as it streams, through a cap as well: a pipe or a device has no size to check first
            try (Reader in = new InputStreamReader(new CappedInput(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
                return parse(() -> JsonParser.parseReader(in), file.toString());
            }
        } catch (IOException e) {
            throw BotException.badInput("cannot read evidence file " + file + ": " + e.getMessage());
        }
    }

    private static BotException tooBig(String source) {
        return BotException.badInput("evidence file " + source + " is larger than " + (MAX_BYTES >> 20)
                + " MiB, far more than a check collects; it is not a file written by check --save-evidence");
    }

    /** Fails the read once more than {@link #MAX_BYTES} have come through. */
    private static final class CappedInput extends FilterInputStream {
        private long count;

        CappedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws TooBig {
            count += n;
            if (count > MAX_BYTES) {
                throw new TooBig();
            }
        }
    }

    private static final class TooBig extends IOException {
        TooBig() {
            super("over the size cap");
        }
    }

    public static Evidence parse(String json, String source) {
        return parse(() -> JsonParser.parseString(json), source);
    }

    private static Evidence parse(Supplier<JsonElement> json, String source) {
        try {
            JsonElement parsed = json.get();
            if (!parsed.isJsonObject()) {
                throw invalid(source, "it is not a JSON object");
            }
            JsonObject root = parsed.getAsJsonObject();
            if (root.has("format")) {
                JsonElement f = root.get("format");
                if (!f.isJsonPrimitive() || !f.getAsJsonPrimitive().isNumber() || f.getAsDouble() != FORMAT) {
                    throw BotException.badInput("evidence file " + source + " has format " + f + ", but this bot reads "
                            + "format " + FORMAT + "; replay it with the version that wrote it");
                }
            }
            String check = text(required(root, "check", source));
            if (!CHECK_NAME.matcher(check).matches()) {
                throw invalid(source, "\"check\" is not a check name");
            }
            String host = text(required(root, "host", source));
            if (!Host.isValidName(host)) {
                throw invalid(source, "\"host\" is not a host name");
            }
            Instant collectedAt = Instant.parse(text(required(root, "collectedAt", source)));
            Duration window = root.has("window") ? Duration.parse(text(root.get("window")))
                    : CheckOptions.DEFAULT_WINDOW;
            if (window.isNegative() || window.isZero()) {
                throw invalid(source, "\"window\" must be longer than zero");
            }
            Settings settings = root.has("settings") ? settings(root.get("settings"), source) : Settings.none();
            JsonElement probesElement = required(root, "probes", source);
            if (!probesElement.isJsonObject()) {
                throw invalid(source, "\"probes\" must map probe names to results");
            }
            Map<String, ProbeResult> results = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : probesElement.getAsJsonObject().entrySet()) {
                if (!PROBE_NAME.matcher(e.getKey()).matches()) {
                    throw invalid(source, "a probe name is not lower-case letters, digits, '.' and '-'");
                }
                String where = "probes." + e.getKey();
                if (!e.getValue().isJsonObject()) {
                    throw invalid(source, "\"" + where + "\" must be an object");
                }
                JsonObject p = e.getValue().getAsJsonObject();
                long ms = p.has("ms") ? p.get("ms").getAsLong() : 0;
                if (ms < 0) {
                    throw invalid(source, "\"" + where + ".ms\" is negative");
                }
                results.put(e.getKey(), new ProbeResult(
                        text(required(p, "command", source, where)),
                        required(p, "exit", source, where).getAsInt(),
                        optional(p, "stdout"),
                        optional(p, "stderr"),
                        ms,
                        p.has("truncated") && p.get("truncated").getAsBoolean()));
            }
            return new Evidence(check, host, collectedAt, window, results, settings);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException
                 | ArithmeticException | DateTimeParseException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TooBig) {
                    throw tooBig(source);
                }
            }
            throw BotException.badInput("evidence file " + source + " is not valid evidence JSON ("
                    + shown(e.getMessage()) + "); it must look like {\"format\": 1, \"check\", \"host\", \"collectedAt\", \"probes\": {...}}");
        }
    }

    /** Names as {@link Setting} allows them, values plain: a whole number, a number, true/false or short text. */
    private static Settings settings(JsonElement element, String source) {
        if (!element.isJsonObject()) {
            throw invalid(source, "\"settings\" must map setting names to values");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
            if (!SETTING_NAME.matcher(e.getKey()).matches()) {
                throw invalid(source, "a setting name is not a letter followed by letters and digits");
            }
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive()) {
                throw invalid(source, "\"settings." + e.getKey() + "\" must be a number, true/false or text");
            }
            JsonPrimitive p = v.getAsJsonPrimitive();
            Object value;
            if (p.isBoolean()) {
                value = p.getAsBoolean();
            } else if (p.isNumber()) {
                String digits = p.getAsString();
                if (digits.matches("-?\\d{1,10}") && Long.parseLong(digits) == (int) Long.parseLong(digits)) {
                    value = Integer.valueOf(digits);
                } else {
                    value = Double.valueOf(p.getAsDouble());
                }
            } else if (p.getAsString().length() <= Setting.MAX_TEXT) {
                value = p.getAsString();
            } else {
                throw invalid(source, "\"settings." + e.getKey() + "\" is longer than " + Setting.MAX_TEXT + " characters");
            }
            values.put(e.getKey(), value);
        }
        return new Settings(values);
    }

    /** A parser's complaint quotes the file; keep that quote short and free of control characters. */
    private static String shown(String message) {
        String m = String.valueOf(message).replaceAll("\\p{Cntrl}", "?");
        return m.length() > 120 ? m.substring(0, 120) + "…" : m;
    }

    private static BotException invalid(String source, String problem) {
        return BotException.badInput("evidence file " + source + " is not valid evidence: " + problem
                + "; use a file written by check --save-evidence");
    }

    /** A JSON string's text; numbers and objects where text belongs are refused. */
    private static String text(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalStateException("expected text where a number, true/false or a structure was found");
        }
        return e.getAsString();
    }

    private static JsonElement required(JsonObject o, String key, String source) {
        return required(o, key, source, "");
    }

    private static JsonElement required(JsonObject o, String key, String source, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw BotException.badInput("evidence file " + source + " lacks \"" + (where.isEmpty() ? "" : where + ".")
                    + key + "\"");
        }
        return e;
    }

    private static String optional(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : text(e);
    }
}
