package nl.kring.loadtest.archfixture;

/** Breaks the rule on purpose (LoadGeneratorArchitectureTest shows the rule would catch it). */
public class GeneratorUsingServer {
    nl.kring.server.archfixture.AServerClass server;
}
