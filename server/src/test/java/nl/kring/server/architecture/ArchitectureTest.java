package nl.kring.server.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import nl.kring.moderation.archfixture.ModerationUsingVertx;
import nl.kring.server.archfixture.a.A;
import nl.kring.server.archfixture.b.B;
import nl.kring.server.db.archfixture.DbUsingRooms;
import nl.kring.server.rooms.archfixture.RoomsUsingGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of docs/architecture.md (section 5), checked on the compiled classes of
 * `moderation` and `server` (ArchUnit). Each rule is also shown to catch a class that breaks it
 * (the fixtures in `archfixture` packages of the test sources, which the main check leaves out).
 */
class ArchitectureTest {

    static final String[] DOMAIN = {"nl.kring.server.access..", "nl.kring.server.accounts..", "nl.kring.server.admin..",
            "nl.kring.server.audit..", "nl.kring.server.cluster..", "nl.kring.server.communities..", "nl.kring.server.figures..",
            "nl.kring.server.members..", "nl.kring.server.messages..", "nl.kring.server.moderation..", "nl.kring.server.retention..",
            "nl.kring.server.rooms..", "nl.kring.server.safety..", "nl.kring.server.sending..", "nl.kring.server.spreekuur..",
            "nl.kring.server.vraagbaak.."};

    /** The moderation library is plain Java: no server, no Vert.x, no Netty. */
    static final ArchRule MODERATION_IS_PLAIN_JAVA = noClasses().that().resideInAPackage("nl.kring.moderation..")
            .should().dependOnClassesThat().resideInAnyPackage("nl.kring.server..", "io.vertx..", "io.netty..");

    /** The database layer knows no domain package. */
    static final ArchRule DB_BELOW_THE_DOMAIN = noClasses().that().resideInAPackage("nl.kring.server.db..")
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN);

    /** The server's packages depend on each other one way only. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("nl.kring.server.(*)..").should().beFreeOfCycles();

    /** Domain packages do not know the protocol bindings (the WebSocket gateway, the HTTP routes). */
    static final ArchRule DOMAIN_BELOW_THE_BINDINGS = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("nl.kring.server.gateway..", "nl.kring.server.http..");

    static JavaClasses kring;

    @BeforeAll
    static void importClasses() {
        kring = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("nl.kring");
    }

    @Test
    void theModerationLibraryIsPlainJava() {
        MODERATION_IS_PLAIN_JAVA.check(kring);
        assertThat(MODERATION_IS_PLAIN_JAVA.evaluate(new ClassFileImporter().importClasses(ModerationUsingVertx.class))
                .hasViolation()).as("the rule catches moderation using Vert.x").isTrue();
    }

    @Test
    void theDatabaseLayerKnowsNoDomainPackage() {
        DB_BELOW_THE_DOMAIN.check(kring);
        assertThat(DB_BELOW_THE_DOMAIN.evaluate(new ClassFileImporter().importClasses(DbUsingRooms.class)).hasViolation())
                .as("the rule catches db using rooms").isTrue();
    }

    @Test
    void domainPackagesKnowNeitherTheGatewayNorHttp() {
        DOMAIN_BELOW_THE_BINDINGS.check(kring);
        assertThat(DOMAIN_BELOW_THE_BINDINGS.evaluate(new ClassFileImporter().importClasses(RoomsUsingGateway.class))
                .hasViolation()).as("the rule catches rooms using the gateway").isTrue();
    }

    @Test
    void theServersPackagesFormNoCycle() {
        NO_PACKAGE_CYCLES.check(kring);
        assertThat(slices().matching("nl.kring.server.archfixture.(*)..").should().beFreeOfCycles()
                .evaluate(new ClassFileImporter().importClasses(A.class, B.class)).hasViolation())
                .as("the rule catches two packages that use each other").isTrue();
    }
}
