package dev.chatops.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.chatops.core.spi.Check;
import dev.chatops.nginx.config.NginxConfig;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the checks' main code, enforced by the build: no package cycles, and nothing but the
 * plugin contract (check-api), the shared nginx parsers (nginx-support) and the JDK, as a plugin built
 * outside this repository would be.
 */
class PackageRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.chatops.checks");

    @Test
    void packages_haveNoCycles() {
        slices().matching("dev.chatops.checks.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void dependencies_onlyCheckApiNginxSupportAndTheJdk() {
        classes().should().onlyDependOnClassesThat(allowed()).check(MAIN);
    }

    /** A class of the checks themselves, of the jar check-api or nginx-support was loaded from, or of the JDK. */
    private static DescribedPredicate<JavaClass> allowed() {
        String api = locationOf(Check.class);
        String nginx = locationOf(NginxConfig.class);
        return DescribedPredicate.describe("are in checks, check-api, nginx-support or the JDK", c -> {
            JavaClass t = c.getBaseComponentType();
            if (t.isPrimitive() || t.getPackageName().startsWith("java.")) {
                return true;
            }
            Optional<String> from = t.getSource().map(s -> s.getUri().toString());
            return t.getPackageName().startsWith("dev.chatops.checks")
                    ? from.map(f -> !f.startsWith(api) && !f.startsWith(nginx)).orElse(false)
                    : from.map(f -> f.startsWith(api) || f.startsWith(nginx)).orElse(false);
        });
    }

    private static String locationOf(Class<?> type) {
        try {
            URI uri = type.getProtectionDomain().getCodeSource().getLocation().toURI();
            // a jar is named jar:file:…!/ in a class's source, a directory file:…/
            return uri.getScheme().equals("file") && uri.getPath().endsWith(".jar") ? "jar:" + uri : uri.toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
