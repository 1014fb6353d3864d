package nl.kring.server.spreekuur;

import io.vertx.sqlclient.Row;
import java.time.Instant;

/**
 * One one-to-one talk as read with its two participants and the request that led to it
 * ({@link TalkRepository#TALK}). Immutable.
 *
 * @param endedAt  null while the talk runs
 * @param signpost the wire name of where the host pointed the member, or null
 * @param topic    the member's words when they asked, or null (cleared when the talk ends)
 * @param severity the #chatsafe risk the member was queued at, or null
 */
record Talk(long id, long spreekuurId, long communityId, long roomId, long memberId, long hostId, Instant startedAt,
            Instant endedAt, String signpost, int transfers, boolean feedbackGiven, int waitedSeconds,
            String memberPublicId, String memberPseudonym, String hostPublicId, String hostName, String hostRole,
            String topic, String severity) {

    static Talk of(Row r) {
        return new Talk(r.getLong("id"), r.getLong("spreekuur_id"), r.getLong("community_id"), r.getLong("room_id"),
                r.getLong("member_id"), r.getLong("host_id"), r.getOffsetDateTime("started_at").toInstant(),
                r.getOffsetDateTime("ended_at") == null ? null : r.getOffsetDateTime("ended_at").toInstant(),
                r.getString("signpost"), r.getInteger("transfers"), r.getBoolean("feedback_given"), r.getInteger("waited_seconds"),
                r.getString("member_public_id"), r.getString("member_pseudonym"), r.getString("host_public_id"),
                r.getString("host_name"), r.getString("host_role"), r.getString("topic"), r.getString("severity"));
    }

    boolean ended() {
        return endedAt != null;
    }

    /** Whether the user is this talk's member (otherwise its host, or nobody of it). */
    boolean isMember(long userId) {
        return memberId == userId;
    }
}
