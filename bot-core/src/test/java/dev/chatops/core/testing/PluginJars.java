package dev.chatops.core.testing;

import dev.chatops.core.spi.Check;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a plugin jar outside the main build, the way a third party would: compiles the given
 * sources against the check SPI with the JDK's compiler and packs them with a services file.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param sources     class name (e.g. {@code acme.DiskCheck}) to its Java source
     * @param servicesLine what the {@code META-INF/services} file says (class names, one a line)
     */
    public static Path build(Path dir, String jarName, Map<String, String> sources, String servicesLine)
            throws IOException {
        Path src = Files.createDirectories(dir.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(dir.resolve(jarName + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", spiClassPath(),
                "--release", "17", "-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("these tests need a JDK (javax.tools compiler), not a JRE");
        }
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("plugin sources did not compile (javac exit " + rc + ")");
        }
        Path jar = dir.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + Check.class.getName()));
            OutputStream os = out;
            os.write((servicesLine + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /** Source of a minimal check plugin named {@code checkName}, in class {@code className}. */
    public static String minimalCheck(String className, String checkName) {
        int dot = className.lastIndexOf('.');
        return "package " + className.substring(0, dot) + ";\n"
                + "import dev.chatops.core.spi.*;\n"
                + "import java.util.List;\n"
                + "public final class " + className.substring(dot + 1) + " implements Check {\n"
                + "  public String name() { return \"" + checkName + "\"; }\n"
                + "  public String help() { return \"Checks " + checkName + " things.\"; }\n"
                + "  public List<Probe> probes(CheckOptions o) { return List.of(Probe.of(\"uptime\", \"uptime\")); }\n"
                + "  public Diagnosis diagnose(Evidence e) { return Diagnosis.healthy(\"fine\", List.of()); }\n"
                + "}\n";
    }

    private static String spiClassPath() {
        try {
            return Path.of(Check.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
