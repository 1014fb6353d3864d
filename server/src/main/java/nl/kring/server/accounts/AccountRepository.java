package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** SQL for users and sessions. Returns raw results; {@link AuthService} decides what they mean. */
public final class AccountRepository {

    static final String SESSION_BY_TOKEN = """
            SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.public_id, u.role, u.pseudonym,
                   u.community_id, c.slug AS community_slug, u.age_band, u.all_communities,
                   ARRAY(SELECT sc.community_id FROM staff_communities sc WHERE sc.user_id = u.id) AS staff_ids,
                   ARRAY(SELECT c2.slug FROM staff_communities sc JOIN communities c2 ON c2.id = sc.community_id
                         WHERE sc.user_id = u.id) AS staff_slugs
            FROM sessions s
            JOIN users u ON u.id = s.user_id
            LEFT JOIN communities c ON c.id = u.community_id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()""";

    static final String INSERT_SESSION = """
            INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3) RETURNING id""";

    static final String REVOKE_SESSION = "UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL";

    static final String STAFF_BY_EMAIL = "SELECT id, password_hash FROM users WHERE email = $1 AND role <> 'member'";

    static final String ANY_ADMIN = "SELECT 1 FROM users WHERE role = 'admin' LIMIT 1";

    static final String INSERT_STAFF = """
            INSERT INTO users (public_id, role, pseudonym, email, password_hash, all_communities)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""";

    static final String INSERT_STAFF_COMMUNITIES = """
            INSERT INTO staff_communities (user_id, community_id)
            SELECT $1, id FROM communities WHERE slug = ANY($2)""";

    static final String CLAIM_INVITE = """
            UPDATE invites i SET uses_left = i.uses_left - 1
            FROM communities c
            WHERE c.id = i.community_id AND c.slug = $1 AND i.code_hash = $2
              AND i.uses_left > 0 AND i.revoked_at IS NULL AND i.expires_at > now()
            RETURNING i.id, i.community_id""";

    static final String INSERT_MEMBER = """
            INSERT INTO users (public_id, role, community_id, pseudonym, age_band, invite_id)
            VALUES ($1, 'member', $2, $3, $4, $5) RETURNING id""";

    private final Pool pool;

    public AccountRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Principal>> findSession(byte[] tokenHash) {
        return pool.preparedQuery(SESSION_BY_TOKEN).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toPrincipal(rows.iterator().next())));
    }

    public Future<Void> revokeSession(long sessionId) {
        return pool.preparedQuery(REVOKE_SESSION).execute(Tuple.of(sessionId)).mapEmpty();
    }

    /** The staff account for an e-mail address: (user id, password hash), or empty. */
    public Future<Optional<StaffCredentials>> findStaff(String email) {
        return pool.preparedQuery(STAFF_BY_EMAIL).execute(Tuple.of(email)).map(rows -> rows.size() == 0
                ? Optional.empty()
                : Optional.of(new StaffCredentials(rows.iterator().next().getLong("id"),
                        rows.iterator().next().getString("password_hash"))));
    }

    public Future<Long> createSession(long userId, byte[] tokenHash, Instant expiresAt) {
        return pool.preparedQuery(INSERT_SESSION)
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), userId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Boolean> anyAdmin() {
        return pool.query(ANY_ADMIN).execute().map(rows -> rows.size() > 0);
    }

    /** Creates a staff account and its community links in one transaction; 23505 when the e-mail exists. */
    public Future<Long> createStaff(Role role, String displayName, String email, String passwordHash,
                                    boolean allCommunities, Set<String> communitySlugs) {
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_STAFF)
                .execute(Tuple.of(Secrets.newPublicId(), role.wireName(), displayName, email, passwordHash, allCommunities))
                .map(rows -> rows.iterator().next().getLong(0))
                .compose(id -> conn.preparedQuery(INSERT_STAFF_COMMUNITIES)
                        .execute(Tuple.of(id, (Object) communitySlugs.toArray(new String[0])))
                        .map(id)));
    }

    /**
     * Claims one use of an invite and creates the member and a session, all or nothing.
     * Empty when the invite is not valid; fails with 23505 when the pseudonym is taken (and
     * then the invite use is rolled back with everything else).
     */
    public Future<Optional<Long>> joinWithInvite(String communitySlug, byte[] codeHash, String pseudonym,
                                                AgeBand ageBand, byte[] tokenHash, Instant expiresAt) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_INVITE)
                .execute(Tuple.of(communitySlug, io.vertx.core.buffer.Buffer.buffer(codeHash)))
                .compose(claimed -> {
                    if (claimed.size() == 0) {
                        return Future.succeededFuture(Optional.<Long>empty());
                    }
                    Row invite = claimed.iterator().next();
                    return conn.preparedQuery(INSERT_MEMBER)
                            .execute(Tuple.of(Secrets.newPublicId(), invite.getLong("community_id"), pseudonym,
                                    ageBand.wireName(), invite.getLong("id")))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .compose(userId -> conn.preparedQuery(INSERT_SESSION)
                                    .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), userId,
                                            OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                                    .map(r -> Optional.of(userId)));
                }));
    }

    static Principal toPrincipal(Row row) {
        Role role = Role.fromWireName(row.getString("role")).orElseThrow();
        Set<Long> staffIds = new HashSet<>();
        for (Long id : row.getArrayOfLongs("staff_ids")) {
            staffIds.add(id);
        }
        Set<String> staffSlugs = Set.of(row.getArrayOfStrings("staff_slugs"));
        String ageBand = row.getString("age_band");
        return new Principal(
                row.getLong("user_id"),
                row.getString("public_id"),
                row.getString("pseudonym"),
                role,
                row.getLong("community_id"),
                row.getString("community_slug"),
                ageBand == null ? null : AgeBand.fromWireName(ageBand).orElseThrow(),
                row.getBoolean("all_communities"),
                staffIds,
                staffSlugs,
                row.getLong("session_id"),
                row.getOffsetDateTime("expires_at").toInstant());
    }

    /** A staff account's id and stored password hash. */
    public record StaffCredentials(long userId, String passwordHash) {
    }
}
