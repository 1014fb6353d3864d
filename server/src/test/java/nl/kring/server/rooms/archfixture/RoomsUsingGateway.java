package nl.kring.server.rooms.archfixture;

/** Breaks a rule on purpose (ArchitectureTest shows the rule would catch it): a domain package using the gateway. */
public class RoomsUsingGateway {
    nl.kring.server.gateway.SessionRegistry sessions;
}
