package nl.kring.server.moderation;

import java.util.List;
import nl.kring.server.shared.Principal;

/**
 * The sockets of this node (the gateway's session registry), as the cluster sees them: it
 * reaches them for notices from other nodes and tells the others which staff are online here.
 * The cluster depends on this, not on the gateway.
 */
public interface LocalReach extends Reach {

    /** The staff connected to this node now. */
    List<Principal> staffOnline();
}
