package nl.kring.server.archfixture;

/** Stands for a server class in the load generator's own rule check (LoadGeneratorArchitectureTest). */
public class AServerClass {
}
