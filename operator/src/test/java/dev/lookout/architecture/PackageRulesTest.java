package dev.lookout.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.lookout.registry.KindRegistry;
import org.junit.jupiter.api.Test;

/**
 * The package structure of docs/architecture.md, enforced on the compiled main classes: packages form no cycle,
 * kinds know no platform, and what serves every kind (loading, rendering, the engine) reaches the kinds only
 * through the registry.
 */
class PackageRulesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lookout");
    private static final String[] KINDS = {"dev.lookout.gpu..", "dev.lookout.probe..", "dev.lookout.nginx..", "dev.lookout.network.."};
    private static final String[] PLATFORMS = {"dev.lookout.docker..", "dev.lookout.kubernetes.."};

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.lookout.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void kindsImportNoPlatform() {
        noClasses().that().resideInAnyPackage(KINDS).should().dependOnClassesThat().resideInAnyPackage(PLATFORMS)
                .because("a kind says what it wants through dev.lookout.platform; docker/ and kubernetes/ make it so")
                .check(MAIN);
    }

    @Test
    void kindsImportNoRunMode() {
        noClasses().that().resideInAnyPackage(KINDS).should().dependOnClassesThat()
                .resideInAnyPackage("dev.lookout.engine..", "dev.lookout.directory..", "dev.lookout.load..", "dev.lookout.cli..",
                        "dev.lookout.plan..", "dev.lookout.http..", "dev.lookout.registry..")
                .check(MAIN);
    }

    @Test
    void sharedPartsReachKindsOnlyThroughTheRegistry() {
        noClasses().that().resideInAnyPackage("dev.lookout.load..", "dev.lookout.prometheus..", "dev.lookout.render..",
                        "dev.lookout.engine..", "dev.lookout.kind..", "dev.lookout.platform..", "dev.lookout.http..")
                .should().dependOnClassesThat().resideInAnyPackage(KINDS)
                .because("the kinds are listed once, in dev.lookout.registry.KindRegistry")
                .check(MAIN);
    }

    @Test
    void theSeamKnowsNoPlatformAndNoKind() {
        noClasses().that().resideInAPackage("dev.lookout.platform..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.lookout.docker..", "dev.lookout.kubernetes..", "dev.lookout.kind..",
                        "dev.lookout.config..", "dev.lookout.engine..")
                .check(MAIN);
    }

    @Test
    void platformsAreUsedOnlyWhereARunModeIsAssembled() {
        noClasses().that().resideOutsideOfPackages("dev.lookout.docker..", "dev.lookout.kubernetes..", "dev.lookout.directory..",
                        "dev.lookout.runtime..",
                        "dev.lookout.plan..", "dev.lookout.cli..", "dev.lookout.doctor..")
                .should().dependOnClassesThat().resideInAnyPackage(PLATFORMS)
                .because("the engine, the loader and the renderer work the same whatever the platform")
                .check(MAIN);
    }

    @Test
    void platformsImportNoKind() {
        noClasses().that().resideInAnyPackage(PLATFORMS).should().dependOnClassesThat().resideInAnyPackage(KINDS)
                .check(MAIN);
    }
}
