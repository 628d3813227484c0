package dev.chatops.nginx.config;

/**
 * Shell glob patterns as nginx's {@code include} uses them ({@code *}, {@code ?}, {@code [...]}), matched
 * segment by segment without a regex: the pattern comes from a host's config, so it must neither fail to
 * compile nor take more than time proportional to pattern × path.
 */
final class Glob {

    private Glob() {
    }

    /** Whether a path matches a glob; {@code *} and {@code ?} never match {@code /}. */
    static boolean matches(String glob, String path) {
        String[] g = glob.split("/", -1);
        String[] p = path.split("/", -1);
        if (g.length != p.length) {
            return false;
        }
        for (int i = 0; i < g.length; i++) {
            if (!segment(g[i], p[i])) {
                return false;
            }
        }
        return true;
    }

    /** One segment: the usual two-pointer wildcard match, back-tracking only to the last {@code *}. */
    private static boolean segment(String glob, String name) {
        int gi = 0;
        int ni = 0;
        int star = -1;
        int mark = 0;
        while (ni < name.length()) {
            if (gi < glob.length() && glob.charAt(gi) == '*') {
                star = gi++;
                mark = ni;
                continue;
            }
            int step = gi < glob.length() ? single(glob, gi, name.charAt(ni)) : -1;
            if (step > 0) {
                gi += step;
                ni++;
            } else if (star >= 0) {
                gi = star + 1;
                ni = ++mark;
            } else {
                return false;
            }
        }
        while (gi < glob.length() && glob.charAt(gi) == '*') {
            gi++;
        }
        return gi == glob.length();
    }

    /** How many pattern characters match {@code c} at {@code gi} ({@code ?}, a class, or a literal); 0 if none. */
    private static int single(String glob, int gi, char c) {
        char g = glob.charAt(gi);
        if (g == '?') {
            return 1;
        }
        if (g == '[') {
            int close = glob.indexOf(']', gi + 2);
            if (close > 0) {
                int from = gi + 1;
                boolean negate = glob.charAt(from) == '!' || glob.charAt(from) == '^';
                if (negate) {
                    from++;
                }
                boolean in = false;
                for (int k = from; k < close; k++) {
                    char lo = glob.charAt(k);
                    if (k + 2 < close && glob.charAt(k + 1) == '-') {
                        in |= c >= lo && c <= glob.charAt(k + 2);
                        k += 2;
                    } else {
                        in |= c == lo;
                    }
                }
                return in != negate ? close - gi + 1 : 0;
            }
        }
        if (g == '\\' && gi + 1 < glob.length()) {
            return glob.charAt(gi + 1) == c ? 2 : 0;
        }
        return g == c ? 1 : 0;
    }
}
