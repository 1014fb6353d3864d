package nl.kring.server.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.kring.moderation.archfixture.ModerationUsingVertx;
import nl.kring.server.archfixture.a.A;
import nl.kring.server.archfixture.b.B;
import nl.kring.server.db.archfixture.DbUsingRooms;
import nl.kring.server.rooms.archfixture.RoomsUsingGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of docs/architecture.md (section 5), checked on the compiled classes of
 * `moderation` and `server` (ArchUnit). Each rule is also shown to catch a class that breaks it
 * (the fixtures in `archfixture` packages of the test sources, which the main check leaves out).
 *
 * <p>The server's packages still form one cycle (issue 25): until it is untangled, the edges
 * inside package cycles are listed in {@code architecture/cycle-edges.txt} and may only go: a new
 * edge inside a cycle fails, and so does a listed edge that is gone (take its line out).
 */
class ArchitectureTest {

    static final String[] DOMAIN = {"nl.kring.server.access..", "nl.kring.server.accounts..", "nl.kring.server.admin..",
            "nl.kring.server.audit..", "nl.kring.server.cluster..", "nl.kring.server.communities..", "nl.kring.server.figures..",
            "nl.kring.server.members..", "nl.kring.server.messages..", "nl.kring.server.moderation..", "nl.kring.server.retention..",
            "nl.kring.server.rooms..", "nl.kring.server.safety..", "nl.kring.server.spreekuur.."};

    /** The moderation library is plain Java: no server, no Vert.x, no Netty. */
    static final ArchRule MODERATION_IS_PLAIN_JAVA = noClasses().that().resideInAPackage("nl.kring.moderation..")
            .should().dependOnClassesThat().resideInAnyPackage("nl.kring.server..", "io.vertx..", "io.netty..");

    /** The database layer knows no domain package. */
    static final ArchRule DB_BELOW_THE_DOMAIN = noClasses().that().resideInAPackage("nl.kring.server.db..")
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN);

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
    void noNewEdgeInsideAPackageCycleAndTheListStaysTrue() throws IOException {
        Set<String> now = cycleEdges(kring, "nl.kring.server.");
        Set<String> listed = new TreeSet<>();
        try (InputStream in = ArchitectureTest.class.getResourceAsStream("/architecture/cycle-edges.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    listed.add(line.trim());
                }
            }
        }
        Set<String> added = new TreeSet<>(now);
        added.removeAll(listed);
        Set<String> gone = new TreeSet<>(listed);
        gone.removeAll(now);
        assertThat(added).as("new package dependencies inside a cycle (docs/architecture.md: dependencies run one way)").isEmpty();
        assertThat(gone).as("edges no longer inside a cycle: take them out of architecture/cycle-edges.txt").isEmpty();
        // the check finds a cycle made on purpose
        assertThat(cycleEdges(new ClassFileImporter().importClasses(A.class, B.class), "nl.kring.server.archfixture."))
                .containsExactly("a -> b", "b -> a");
    }

    /**
     * The dependencies between the top-level packages under {@code prefix} ("rooms -> cluster")
     * that lie inside a cycle: both ends in one strongly connected component of the package graph.
     */
    static Set<String> cycleEdges(JavaClasses classes, String prefix) {
        Map<String, Set<String>> graph = new HashMap<>();
        for (JavaClass c : classes) {
            String from = slice(c.getPackageName(), prefix);
            if (from == null) {
                continue;
            }
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = slice(d.getTargetClass().getPackageName(), prefix);
                if (to != null && !to.equals(from)) {
                    graph.get(from).add(to);
                    graph.computeIfAbsent(to, k -> new TreeSet<>());
                }
            }
        }
        Map<String, Integer> component = components(graph);
        Set<String> edges = new TreeSet<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            if (component.get(from).equals(component.get(to))) {
                edges.add(from + " -> " + to);
            }
        }));
        return edges;
    }

    private static String slice(String pkg, String prefix) {
        if (!pkg.startsWith(prefix)) {
            return null;
        }
        String rest = pkg.substring(prefix.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Tarjan's strongly connected components: node -> component number. */
    private static Map<String, Integer> components(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Map<String, Integer> component = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        int[] counter = {0, 0};
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                strongConnect(node, graph, index, low, component, stack, onStack, counter);
            }
        }
        return component;
    }

    private static void strongConnect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                      Map<String, Integer> low, Map<String, Integer> component, Deque<String> stack,
                                      Set<String> onStack, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, graph, index, low, component, stack, onStack, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.put(w, counter[1]);
            } while (!w.equals(v));
            counter[1]++;
        }
    }
}
