package nl.kring.server.rooms;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.access.Access;
import nl.kring.server.db.Database;
import nl.kring.server.shared.Principal;

/**
 * The rooms a signed-in user may join (the room list of {@code GET /api/v1/rooms}): a member's
 * community's rooms, or the rooms of the communities a staff member works in, less the archived
 * ones and those {@link Access} would refuse them. Stateless and thread-safe.
 */
public final class RoomDirectory {

    private final RoomRepository rooms;
    private final Database db;

    public RoomDirectory(RoomRepository rooms, Database db) {
        this.rooms = rooms;
        this.db = db;
    }

    /** The rooms {@code p} may join, in id order; a database failure as a client-facing one ({@link Database#failure}). */
    public Future<List<RoomRepository.RoomSummary>> joinable(Principal p) {
        Long[] ids = p.isMember() ? new Long[] {p.communityId()} : p.staffCommunities().toArray(new Long[0]);
        return rooms.list(!p.isMember() && p.allCommunities(), ids, false)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(found -> joinable(p, found));
    }

    /** Of {@code candidates}, the rooms {@code p} may join (as a non-participant), in their order. */
    public static List<RoomRepository.RoomSummary> joinable(Principal p, List<RoomRepository.RoomSummary> candidates) {
        List<RoomRepository.RoomSummary> out = new ArrayList<>();
        for (RoomRepository.RoomSummary r : candidates) {
            if (Access.mayJoin(p, r.communityId(), r.settings(), false)) {
                out.add(r);
            }
        }
        return out;
    }
}
