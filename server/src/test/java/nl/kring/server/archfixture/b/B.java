package nl.kring.server.archfixture.b;

/** The other side of a package cycle made on purpose (ArchitectureTest shows the cycle check finds it). */
public class B {
    nl.kring.server.archfixture.a.A a;
}
