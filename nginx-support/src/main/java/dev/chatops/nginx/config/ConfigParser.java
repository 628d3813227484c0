package dev.chatops.nginx.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses the text of one nginx configuration file into directives, the way nginx's own
 * {@code ngx_conf_read_token} reads it: words separated by blanks, {@code ;} ends a directive,
 * {@code {}} a block, {@code #} starts a comment only where a word could start, single and double
 * quotes keep {@code ;}, {@code #} and braces, {@code ${var}} stays inside its word, and the bodies of
 * {@code *_by_lua_block} directives are skipped as raw code. Never throws: a broken file gives what
 * could be read, and {@link #problems()} says what was wrong.
 */
public final class ConfigParser {

    /**
     * Blocks nested deeper than this are skipped whole (real configs nest a handful): everything that walks
     * the tree afterwards may then recurse per level without risk.
     */
    public static final int MAX_DEPTH = 48;

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int closeFrom = -1;
    private int closeAt = -1;
    private final List<String> problems = new ArrayList<>();

    private ConfigParser(String text, String file) {
        this.text = text;
        this.file = file;
    }

    /** The directives of one file, nested by blocks; includes are not followed here. */
    public static List<Directive> parse(String text, String file) {
        return new ConfigParser(text, file).parseAll();
    }

    /** Parses and also returns what could not be read, for diagnostics. */
    static ConfigParser parsed(String text, String file) {
        ConfigParser p = new ConfigParser(text, file);
        p.parseAll();
        return p;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private record Token(String value, int line, boolean quoted) {
    }

    private static final class Frame {
        final String name;
        final List<String> args;
        final int line;
        final List<Directive> children = new ArrayList<>();

        Frame(String name, List<String> args, int line) {
            this.name = name;
            this.args = args;
            this.line = line;
        }
    }

    private List<Directive> parseAll() {
        Deque<Frame> stack = new ArrayDeque<>();
        Frame root = new Frame("", List.of(), 0);
        stack.push(root);
        List<Token> words = new ArrayList<>();
        int skipped = 0;
        while (true) {
            Token t = next();
            if (t == null) {
                break;
            }
            if (skipped > 0) {
                // inside a block nested too deep: count braces, keep nothing
                if (!t.quoted && t.value.equals("{")) {
                    skipped++;
                } else if (!t.quoted && t.value.equals("}")) {
                    skipped--;
                }
                continue;
            }
            if (!t.quoted && t.value.equals("{") && stack.size() > MAX_DEPTH) {
                problems.add(file + ":" + t.line + ": blocks nested deeper than " + MAX_DEPTH + " levels were not read");
                words.clear();
                skipped = 1;
                continue;
            }
            if (!t.quoted && t.value.equals(";")) {
                if (!words.isEmpty()) {
                    stack.peek().children.add(simple(words));
                    words.clear();
                }
            } else if (!t.quoted && t.value.equals("{")) {
                if (words.isEmpty()) {
                    problems.add(file + ":" + t.line + ": unexpected \"{\"");
                    words.add(new Token("", t.line, false));
                }
                Frame f = new Frame(words.get(0).value, values(words.subList(1, words.size())), words.get(0).line);
                words.clear();
                if (f.name.endsWith("_by_lua_block")) {
                    skipRawBlock();
                    stack.peek().children.add(new Directive(f.name, f.args, file, f.line, true, List.of()));
                } else {
                    stack.push(f);
                }
            } else if (!t.quoted && t.value.equals("}")) {
                if (!words.isEmpty()) {
                    problems.add(file + ":" + t.line + ": directive \"" + words.get(0).value + "\" is not terminated by \";\"");
                    stack.peek().children.add(simple(words));
                    words.clear();
                }
                if (stack.size() == 1) {
                    problems.add(file + ":" + t.line + ": unexpected \"}\"");
                } else {
                    close(stack);
                }
            } else {
                words.add(t);
            }
        }
        if (!words.isEmpty()) {
            problems.add(file + ":" + words.get(0).line + ": unexpected end of file, expecting \";\" or \"}\"");
            stack.peek().children.add(simple(words));
        }
        while (stack.size() > 1) {
            problems.add(file + ": unexpected end of file, expecting \"}\"");
            close(stack);
        }
        return List.copyOf(root.children);
    }

    private void close(Deque<Frame> stack) {
        Frame done = stack.pop();
        stack.peek().children.add(new Directive(done.name, done.args, file, done.line, true, done.children));
    }

    private Directive simple(List<Token> words) {
        return new Directive(words.get(0).value, values(words.subList(1, words.size())), file, words.get(0).line, false,
                List.of());
    }

    private static List<String> values(List<Token> tokens) {
        return tokens.stream().map(Token::value).toList();
    }

    /** The next '}' at or after pos; remembered, so a file full of "${" costs linear time, not quadratic. */
    private int nextClose() {
        if (closeFrom < 0 || closeFrom > pos || (closeAt >= 0 && closeAt < pos)) {
            closeFrom = pos;
            closeAt = text.indexOf('}', pos);
        }
        return closeAt;
    }

    private Token next() {
        // skip blanks and comments
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        if (pos >= text.length()) {
            return null;
        }
        int startLine = line;
        char c = text.charAt(pos);
        if (c == ';' || c == '{' || c == '}') {
            pos++;
            return new Token(String.valueOf(c), startLine, false);
        }
        if (c == '"' || c == '\'') {
            return quoted(c, startLine);
        }
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (Character.isWhitespace(ch) || ch == ';' || ch == '}') {
                break;
            }
            if (ch == '{') {
                // "${name}" is a variable inside a word, not a block
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '$') {
                    int close = nextClose();
                    if (close > 0) {
                        sb.append(text, pos, close + 1);
                        pos = close + 1;
                        continue;
                    }
                }
                break;
            }
            if (ch == '\\' && pos + 1 < text.length()) {
                sb.append(ch).append(text.charAt(pos + 1));
                pos += 2;
                continue;
            }
            sb.append(ch);
            pos++;
        }
        return new Token(sb.toString(), startLine, false);
    }

    private Token quoted(char quote, int startLine) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '\\' && pos + 1 < text.length()) {
                char n = text.charAt(pos + 1);
                // nginx unescapes \" \' \\ \t \r \n inside quotes; anything else stays as written
                switch (n) {
                    case '"', '\'', '\\' -> sb.append(n);
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'n' -> sb.append('\n');
                    default -> sb.append(ch).append(n);
                }
                pos += 2;
                continue;
            }
            if (ch == '\n') {
                line++;
            }
            pos++;
            if (ch == quote) {
                return new Token(sb.toString(), startLine, true);
            }
            sb.append(ch);
        }
        problems.add(file + ":" + startLine + ": unterminated quoted string");
        return new Token(sb.toString(), startLine, true);
    }

    /** Skips a Lua body: braces count, except inside Lua strings and {@code --} comments. */
    private void skipRawBlock() {
        int depth = 1;
        while (pos < text.length() && depth > 0) {
            char ch = text.charAt(pos++);
            if (ch == '\n') {
                line++;
            } else if (ch == '"' || ch == '\'') {
                while (pos < text.length() && text.charAt(pos) != ch && text.charAt(pos) != '\n') {
                    pos += text.charAt(pos) == '\\' ? 2 : 1;
                }
                pos++;
            } else if (ch == '-' && pos < text.length() && text.charAt(pos) == '-') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}') {
                depth--;
            }
        }
    }
}
