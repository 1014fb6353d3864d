package nl.kring.server.db.archfixture;

/** Breaks a rule on purpose (ArchitectureTest shows the rule would catch it): the database layer using a domain package. */
public class DbUsingRooms {
    nl.kring.server.rooms.Room room;
}
