package dev.chatops.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
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
 * The package rules of the checks' main code, enforced by the build: no package cycles, nginx502's packages in
 * the order data flows (probe → parse → evidence → incident → finding → rules → report), and nothing but the
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
    void nginx502_packagesDependOnlyOnTheStepsBeforeThem() {
        String n = "dev.chatops.checks.nginx502";
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("check").definedBy(n)
                .layer("probe").definedBy(n + ".probe..")
                .layer("parse").definedBy(n + ".parse..")
                .layer("evidence").definedBy(n + ".evidence..")
                .layer("incident").definedBy(n + ".incident..")
                .layer("finding").definedBy(n + ".finding..")
                .layer("rules").definedBy(n + ".rules..")
                .layer("report").definedBy(n + ".report..")
                .layer("explain").definedBy(n + ".explain..")
                // the words of a fix that come from a host: used at every step, using none
                .layer("fix").definedBy(n + ".fix..")
                .whereLayer("probe").mayNotAccessAnyLayer()
                .whereLayer("fix").mayNotAccessAnyLayer()
                .whereLayer("parse").mayOnlyAccessLayers("probe", "fix")
                .whereLayer("evidence").mayOnlyAccessLayers("probe", "parse", "fix")
                .whereLayer("incident").mayOnlyAccessLayers("probe", "parse", "evidence", "fix")
                .whereLayer("finding").mayOnlyAccessLayers("incident")
                .whereLayer("rules").mayOnlyAccessLayers("parse", "evidence", "incident", "finding", "fix")
                .whereLayer("report").mayOnlyAccessLayers("probe", "parse", "evidence", "incident", "finding", "rules",
                        "fix")
                .whereLayer("explain").mayOnlyAccessLayers("probe", "parse", "evidence", "incident", "finding", "rules",
                        "fix")
                .check(MAIN);
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
