package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.accounts.Secrets;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;

/**
 * Invite codes, issued in batches to a partner (a school, a GP practice, a youth worker, the
 * community itself). Codes are shown once, at issue; only their hashes are stored. A batch or a
 * single code can be revoked; a code whose member was banned is burned.
 */
public final class InviteAdmin {

    static final String INSERT_BATCH = """
            INSERT INTO invite_batches (community_id, label, audience, code_count, uses_per_code, expires_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""";
    static final String INSERT_INVITE = """
            INSERT INTO invites (community_id, batch_id, code_hash, uses_left, expires_at) VALUES ($1, $2, $3, $4, $5)""";
    static final String LIST_BATCHES = """
            SELECT b.id, b.label, b.audience, b.code_count, b.uses_per_code, b.expires_at, b.created_at, b.revoked_at,
                   (SELECT count(*) FROM users u JOIN invites i ON i.id = u.invite_id WHERE i.batch_id = b.id) AS joined,
                   (SELECT count(*) FROM invites i WHERE i.batch_id = b.id AND i.burned_at IS NOT NULL) AS burned,
                   (SELECT count(*) FROM invites i WHERE i.batch_id = b.id AND i.revoked_at IS NOT NULL) AS revoked_codes
            FROM invite_batches b WHERE b.community_id = $1 ORDER BY b.id DESC""";
    static final String BATCH_COMMUNITY = "SELECT community_id FROM invite_batches WHERE id = $1";
    static final String REVOKE_BATCH = """
            UPDATE invite_batches SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1""";
    static final String REVOKE_BATCH_CODES = """
            UPDATE invites SET revoked_at = coalesce(revoked_at, now()) WHERE batch_id = $1""";
    static final String REVOKE_CODE = """
            UPDATE invites SET revoked_at = coalesce(revoked_at, now())
            WHERE community_id = $1 AND code_hash = $2 RETURNING id, batch_id""";

    private final Database db;
    private final CommunityAdmin communities;

    public InviteAdmin(Database db, CommunityAdmin communities) {
        this.db = db;
        this.communities = communities;
    }

    /** Issues a batch of codes; the only time the codes themselves are seen. */
    public Future<JsonObject> createBatch(Principal p, String slug, JsonObject body) {
        return communities.community(p, slug, Action.ISSUE_INVITES).compose(c -> issue(p, c.id(), body));
    }

    private Future<JsonObject> issue(Principal p, long communityId, JsonObject body) {
        int count = Fields.integer(body, "count", 1, 1000, null);
        int uses = Fields.integer(body, "uses", 1, 10_000, 1);
        int days = Fields.integer(body, "expiresInDays", 1, 365, 30);
        String label = Fields.string(body, "label", 1, 100, "Beheer");
        String audience = Fields.oneOf(body, "audience", List.of("member", "naaste"), "member");
        Instant expires = Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime expiresAt = OffsetDateTime.ofInstant(expires, ZoneOffset.UTC);
        List<String> codes = new ArrayList<>(count);
        return db.pool().withTransaction(conn ->
                conn.preparedQuery(INSERT_BATCH).execute(Tuple.from(new Object[] {communityId, label, audience, count, uses, expiresAt, p.userId()}))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .compose(batchId -> {
                            List<Tuple> batch = new ArrayList<>(count);
                            for (int i = 0; i < count; i++) {
                                String code = Secrets.newInviteCode();
                                codes.add(code);
                                batch.add(Tuple.of(communityId, batchId, Buffer.buffer(Secrets.sha256(Secrets.normaliseInviteCode(code))),
                                        uses, expiresAt));
                            }
                            return conn.preparedQuery(INSERT_INVITE).executeBatch(batch)
                                    .compose(v -> AuditLog.record(conn, p.userId(), "invites.issued", communityId, null, "batch:" + batchId,
                                            null, null, new JsonObject().put("label", label).put("audience", audience)
                                                    .put("count", count).put("uses", uses).put("expiresAt", expires.toString())))
                                    .map(batchId);
                        }))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(batchId -> new JsonObject().put("batch", Long.toString(batchId)).put("label", label).put("audience", audience)
                        .put("codes", new JsonArray(codes)).put("uses", uses).put("expiresAt", expires.toString()));
    }

    public Future<JsonObject> listBatches(Principal p, String slug) {
        return communities.community(p, slug, Action.ISSUE_INVITES)
                .compose(c -> db.pool().preparedQuery(LIST_BATCHES).execute(Tuple.of(c.id()))
                        .recover(t -> Future.failedFuture(db.failure(t))))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        JsonObject b = new JsonObject().put("id", Long.toString(r.getLong("id"))).put("label", r.getString("label"))
                                .put("audience", r.getString("audience")).put("codes", r.getInteger("code_count"))
                                .put("usesPerCode", r.getInteger("uses_per_code"))
                                .put("expiresAt", r.getOffsetDateTime("expires_at").toInstant().toString())
                                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                                .put("joined", r.getLong("joined")).put("burned", r.getLong("burned"))
                                .put("revokedCodes", r.getLong("revoked_codes"));
                        if (r.getOffsetDateTime("revoked_at") != null) {
                            b.put("revokedAt", r.getOffsetDateTime("revoked_at").toInstant().toString());
                        }
                        out.add(b);
                    }
                    return new JsonObject().put("batches", out);
                });
    }

    /** Revokes a whole batch: none of its codes admits anyone from now on (members who joined stay). */
    public Future<JsonObject> revokeBatch(Principal p, String batchId, JsonObject body) {
        long id = Fields.id(batchId, "invite batch");
        String reason = Fields.string(body, "reason", 1, 1000);
        return db.pool().preparedQuery(BATCH_COMMUNITY).execute(Tuple.of(id))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0 || !p.mayEnter(rows.iterator().next().getLong(0))) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such invite batch"));
                    }
                    long communityId = rows.iterator().next().getLong(0);
                    Access.checkCommunity(p, communityId, Action.ISSUE_INVITES);
                    return db.pool().withTransaction(conn -> conn.preparedQuery(REVOKE_BATCH).execute(Tuple.of(id))
                                    .compose(v -> conn.preparedQuery(REVOKE_BATCH_CODES).execute(Tuple.of(id)))
                                    .compose(v -> AuditLog.record(conn, p.userId(), "invites.batch_revoked", communityId, null,
                                            "batch:" + id, reason, null, null)))
                            .recover(t -> Future.failedFuture(db.failure(t)));
                })
                .map(v -> new JsonObject().put("batch", Long.toString(id)).put("revoked", true));
    }

    /** Revokes one code (the admin has it from the partner); 404 when it is not a code of this community. */
    public Future<JsonObject> revokeCode(Principal p, String slug, JsonObject body) {
        String code = Fields.string(body, "code", 4, 64);
        String reason = Fields.string(body, "reason", 1, 1000);
        return communities.community(p, slug, Action.ISSUE_INVITES).compose(c -> db.pool().withTransaction(conn ->
                        conn.preparedQuery(REVOKE_CODE).execute(Tuple.of(c.id(), Buffer.buffer(Secrets.sha256(Secrets.normaliseInviteCode(code)))))
                                .compose(rows -> {
                                    if (rows.size() == 0) {
                                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such invite code"));
                                    }
                                    Row r = rows.iterator().next();
                                    return AuditLog.record(conn, p.userId(), "invites.code_revoked", c.id(), null,
                                            "batch:" + r.getLong("batch_id"), reason, null, null);
                                }))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t))))
                .map(v -> new JsonObject().put("revoked", true));
    }
}
