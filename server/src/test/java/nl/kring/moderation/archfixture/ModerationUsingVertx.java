package nl.kring.moderation.archfixture;

/** Breaks a rule on purpose (ArchitectureTest shows the rule would catch it): moderation using Vert.x. */
public class ModerationUsingVertx {
    io.vertx.core.Vertx vertx;
}
