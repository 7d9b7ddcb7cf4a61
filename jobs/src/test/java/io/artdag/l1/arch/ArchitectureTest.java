package io.artdag.l1.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The module boundaries of docs/architecture (README "Layout of the repository"), checked on the
 * compiled main classes of every module: the content-addressing core knows no Flink, the clients
 * and the store know nothing of the sinks, the generic segment sink knows no service client, and no
 * two packages depend on each other.
 */
@AnalyzeClasses(
        packages = "io.artdag.l1",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.MainOnly.class})
class ArchitectureTest {

    /** The modules' main classes (jars of operators and sinks too), not their test jars. */
    static final class MainOnly implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    /**
     * Every public type says whether it is API ({@code @PublicEvolving}) or mechanics
     * ({@code @Internal}), as Flink's connectors do; the content-addressing core, which imports no
     * Flink, is internal by its package javadoc.
     */
    @ArchTest
    static final ArchRule publicTypesSayWhetherTheyAreApi =
            classes()
                    .that()
                    .arePublic()
                    .and()
                    .areTopLevelClasses()
                    .and()
                    .resideOutsideOfPackages(
                            "io.artdag.l1.hash..",
                            "io.artdag.l1.ipld..",
                            "io.artdag.l1.car..",
                            "io.artdag.l1.bench..",
                            "io.artdag.l1.example..")
                    .should()
                    .beAnnotatedWith(PublicEvolving.class)
                    .orShould()
                    .beAnnotatedWith(Internal.class);

    @ArchTest
    static final ArchRule coreImportsNoFlink =
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            "io.artdag.l1.hash..", "io.artdag.l1.ipld..", "io.artdag.l1.car..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("org.apache.flink..");

    @ArchTest
    static final ArchRule clientsAndStoreImportNoSink =
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            "io.artdag.l1.store..",
                            "io.artdag.l1.kubo..",
                            "io.artdag.l1.redis..",
                            "io.artdag.l1.postgres..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("io.artdag.l1.sink..");

    @ArchTest
    static final ArchRule segmentSinkImportsNoServiceClient =
            noClasses()
                    .that()
                    .resideInAPackage("io.artdag.l1.sink.segment..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.artdag.l1.kubo..",
                            "io.artdag.l1.redis..",
                            "io.artdag.l1.postgres..",
                            "io.artdag.l1.sink.l1..");

    @ArchTest
    static final ArchRule operatorsImportNoSinkOrJob =
            noClasses()
                    .that()
                    .resideInAnyPackage("io.artdag.l1.operators..", "io.artdag.l1.source..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.artdag.l1.sink..", "io.artdag.l1.job..", "io.artdag.l1.cli..");

    @ArchTest
    static final ArchRule connectorImportsNoJobOrCli =
            noClasses()
                    .that()
                    .resideInAPackage("io.artdag.l1.connector..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("io.artdag.l1.job..", "io.artdag.l1.cli..");

    /** The example job needs nothing but the connector's public API to end in the store. */
    @ArchTest
    static final ArchRule exampleUsesOnlyTheConnectorsPublicApi =
            noClasses()
                    .that()
                    .resideInAPackage("io.artdag.l1.example..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.artdag.l1.connector.internal..",
                            "io.artdag.l1.operators..",
                            "io.artdag.l1.sink..",
                            "io.artdag.l1.store..",
                            "io.artdag.l1.job..",
                            "io.artdag.l1.cli..");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.artdag.l1.(**)").should().beFreeOfCycles();
}
