package dev.chatops.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node with its key path and line, read by the schema in {@link ConfigLoader}. Every
 * complaint names the file, the path and the line. Nothing is ever constructed from tags: values are
 * read as text and converted here.
 */
final class YamlNode {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.FLOAT, Tag.NULL, Tag.MAP, Tag.SEQ);

    private final Node node;
    private final String path;
    private final String file;
    private final Map<String, String> env;

    YamlNode(Node node, String path, String file, Map<String, String> env) {
        this.node = node;
        this.path = path;
        this.file = file;
        this.env = env;
        if (!PLAIN_TAGS.contains(node.getTag())) {
            throw error("uses the tag " + node.getTag().getValue() + "; only plain values, lists and maps are allowed");
        }
    }

    String path() {
        return path;
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    ConfigException error(String problem) {
        String where = path.isEmpty() ? "" : path + " ";
        return new ConfigException(file + ": " + where + problem + " (line " + line() + ")");
    }

    boolean isNull() {
        return node.getTag().equals(Tag.NULL);
    }

    /** The entries of a map, refusing keys outside {@code allowed}. */
    Map<String, YamlNode> map(Set<String> allowed) {
        Map<String, YamlNode> entries = entries();
        for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("is not a known key; allowed here: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return entries;
    }

    /** The entries of a map whose keys are names (hosts, commands). */
    Map<String, YamlNode> entries() {
        if (isNull()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a map of key: value lines");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new YamlNode(t.getKeyNode(), path, file, env).error("has a key that is not plain text");
            }
            String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
            if (out.containsKey(key.getValue())) {
                throw new YamlNode(t.getKeyNode(), childPath, file, env).error("is given twice");
            }
            out.put(key.getValue(), new YamlNode(t.getValueNode(), childPath, file, env));
        }
        return out;
    }

    List<YamlNode> list() {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error("must be a list, e.g. [a, b]");
        }
        List<YamlNode> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new YamlNode(items.get(i), path + "[" + i + "]", file, env));
        }
        return out;
    }

    List<String> strings() {
        return list().stream().map(YamlNode::string).toList();
    }

    /**
     * The value as an error message may show it: quoted as written, or, when it came from
     * {@code ${VAR}}, only the reference ({@code the value of ${DB_PORT}}), since such values are
     * often secrets and an error is printed, logged and pasted into chats.
     */
    String shown() {
        if (node instanceof ScalarNode scalar) {
            String raw = scalar.getValue();
            if (fromEnv()) {
                return "the value of " + (raw.length() > 80 ? raw.substring(0, 80) + "…" : raw);
            }
            String v = raw.replaceAll("\\p{Cntrl}", "?");
            return "`" + (v.length() > 80 ? v.substring(0, 80) + "…" : v) + "`";
        }
        return kind();
    }

    boolean fromEnv() {
        return node instanceof ScalarNode scalar && ENV.matcher(scalar.getValue()).find();
    }

    /** A scalar as text, with {@code ${VAR}} taken from the environment. */
    String string() {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            throw error("must be a single value, not " + kind());
        }
        String raw = scalar.getValue();
        Matcher m = ENV.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw error("needs the environment variable " + m.group(1) + ", which is not set; export it or "
                        + "write the value in the file");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Like {@link #string()}, but an unset variable is kept as a missing secret, not an error. */
    Secret secret() {
        try {
            return Secret.of(string());
        } catch (ConfigException e) {
            if (node instanceof ScalarNode && !isNull()) {
                return Secret.missing(e.getMessage());
            }
            throw e;
        }
    }

    int integer(int min, int max) {
        String s = string();
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                throw error("must be " + min + "-" + max + ", not " + (fromEnv() ? shown() : String.valueOf(v)));
            }
            return v;
        } catch (NumberFormatException e) {
            throw error("must be a whole number " + min + "-" + max + ", not " + shown());
        }
    }

    boolean bool() {
        String s = string().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("must be true or false, not " + shown());
        };
    }

    <T> T convert(Function<String, T> parse, String expected) {
        String s = string();
        try {
            return parse.apply(s);
        } catch (RuntimeException e) {
            throw error(shown() + " is not " + expected);
        }
    }

    <E extends Enum<E>> E choice(Class<E> type) {
        String s = string().trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw error("must be one of " + String.join(" | ",
                java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                        .toList()) + ", not " + shown());
    }

    private String kind() {
        if (isNull()) {
            return "an empty value";
        }
        return node instanceof MappingNode ? "a map" : node instanceof SequenceNode ? "a list" : "a value";
    }

    /** The child, or a complaint that the required key is missing. */
    static YamlNode required(Map<String, YamlNode> entries, String key, YamlNode parent) {
        YamlNode child = entries.get(key);
        if (child == null || child.isNull()) {
            throw parent.error("needs `" + key + "`");
        }
        return child;
    }

    static Optional<YamlNode> optional(Map<String, YamlNode> entries, String key) {
        return Optional.ofNullable(entries.get(key)).filter(n -> !n.isNull());
    }
}
