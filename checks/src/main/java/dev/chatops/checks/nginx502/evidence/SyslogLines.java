package dev.chatops.checks.nginx502.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's own lines out of syslog or journal text: rsyslog's files ({@code /var/log/syslog} on Debian,
 * {@code /var/log/messages} on RHEL) and {@code journalctl -o short-iso} put a prefix of time, host and
 * tag before each message; what follows the tag is the line nginx wrote, which the log parsers read.
 */
public final class SyslogLines {

    /** What a syslog tag may be (nginx's {@code tag=} allows letters, digits and underscores). */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,32}");

    // 2026-11-30T10:00:00.123456+00:00 host nginx[123]: msg  (rsyslog RFC 3339, journalctl short-iso).
    // nginx puts its host name in the header it sends; rsyslog does not parse a host name from local
    // sockets (/dev/log), so the file then reads "host host nginx: msg": one more word before the tag.
    private static final Pattern ISO = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)? \\S{1,255}"
                    + "(?: [^\\s:]{1,255})? (\\S{1,64}): (.*)");
    // Nov 30 10:00:00 host nginx: msg  (the traditional format)
    private static final Pattern TRADITIONAL = Pattern.compile(
            "[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S{1,255}(?: [^\\s:]{1,255})? (\\S{1,64}): (.*)");

    private SyslogLines() {
    }

    /** The messages tagged {@code tag} (or {@code tag[pid]}), without their prefix, in order. */
    public static List<String> messages(String raw, String tag) {
        List<String> out = new ArrayList<>();
        if (!TAG.matcher(tag).matches()) {
            return out;
        }
        Pattern tagged = Pattern.compile(Pattern.quote(tag) + "(?:\\[\\d{1,10}])?");
        for (String line : raw.split("\n")) {
            Matcher m = ISO.matcher(line);
            if (!m.matches()) {
                m = TRADITIONAL.matcher(line);
                if (!m.matches()) {
                    continue;
                }
            }
            if (tagged.matcher(m.group(1)).matches()) {
                out.add(m.group(2));
            }
        }
        return out;
    }
}
