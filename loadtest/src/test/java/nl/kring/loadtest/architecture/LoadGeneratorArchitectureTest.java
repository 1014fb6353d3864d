package nl.kring.loadtest.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import nl.kring.loadtest.archfixture.GeneratorUsingServer;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator is an outside client of the protocol (issue 25): no class of it uses a
 * server class (its pom does not depend on the server module either; the shared socket kit is
 * `kring-websocket`). Shown to catch a class that breaks it.
 */
class LoadGeneratorArchitectureTest {

    static final ArchRule OUTSIDE_CLIENT = noClasses().that().resideInAPackage("nl.kring.loadtest..")
            .should().dependOnClassesThat().resideInAPackage("nl.kring.server..");

    @Test
    void theGeneratorUsesNoServerClass() {
        JavaClasses generator = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("nl.kring.loadtest");
        assertThat(generator.size()).isGreaterThan(20);
        OUTSIDE_CLIENT.check(generator);
        assertThat(OUTSIDE_CLIENT.evaluate(new ClassFileImporter().importClasses(GeneratorUsingServer.class)).hasViolation())
                .as("the rule catches the generator using a server class").isTrue();
    }
}
