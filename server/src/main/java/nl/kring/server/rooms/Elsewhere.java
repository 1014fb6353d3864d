package nl.kring.server.rooms;

/**
 * What the other nodes of a cluster have in a room, as they last told it (soft state): their
 * users online and the places their members take. A room's {@code presence} count and its
 * capacity add this to the node's own. Alone ({@link #NONE}) there is nothing elsewhere.
 */
public interface Elsewhere {

    /** Distinct users online in the room on other nodes (a user on two nodes counts on each). */
    int online(long roomId);

    /** Places taken in the room by members on other nodes. */
    int placed(long roomId);

    /** This node's users in the room changed: the other nodes are to be told (batched by the implementation). */
    void changedHere(long roomId);

    Elsewhere NONE = new Elsewhere() {
        @Override
        public int online(long roomId) {
            return 0;
        }

        @Override
        public int placed(long roomId) {
            return 0;
        }

        @Override
        public void changedHere(long roomId) {
        }
    };
}
