package nl.kring.server.archfixture.a;

/** One side of a package cycle made on purpose (ArchitectureTest shows the cycle check finds it). */
public class A {
    nl.kring.server.archfixture.b.B b;
}
