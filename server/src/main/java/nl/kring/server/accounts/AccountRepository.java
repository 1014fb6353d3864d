package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.shared.Audience;
import nl.kring.server.shared.AgeBand;

/** SQL for users, staff credentials and sessions. Returns raw results; {@link AuthService} decides what they mean. */
public final class AccountRepository {

    static final String SESSION_BY_TOKEN = """
            SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.public_id, u.role, u.pseudonym,
                   u.community_id, c.slug AS community_slug, u.age_band, u.audience, u.region, u.all_communities,
                   sa.totp_enabled_at IS NOT NULL AS totp_enabled,
                   coalesce(sa.password_change_required, false) AS password_change_required,
                   coalesce(sa.totp_required, false) AS totp_required,
                   ARRAY(SELECT sc.community_id FROM staff_communities sc WHERE sc.user_id = u.id) AS staff_ids,
                   ARRAY(SELECT c2.slug FROM staff_communities sc JOIN communities c2 ON c2.id = sc.community_id
                         WHERE sc.user_id = u.id) AS staff_slugs
            FROM sessions s
            JOIN users u ON u.id = s.user_id
            LEFT JOIN communities c ON c.id = u.community_id
            LEFT JOIN staff_accounts sa ON sa.user_id = u.id
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
              AND u.banned_at IS NULL AND u.deleted_at IS NULL""";

    static final String INSERT_SESSION = """
            INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3) RETURNING id""";

    static final String REVOKE_SESSION = """
            UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id""";

    /** Ends every open session of a user ($1) for a reason ($2); public for transactions that do more (bans, erasure). */
    public static final String REVOKE_USER_SESSIONS = """
            UPDATE sessions SET revoked_at = now(), revoked_reason = $2
            WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING id""";

    static final String LIST_SESSIONS = """
            SELECT id, created_at, expires_at FROM sessions
            WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY id""";

    static final String STAFF_BY_EMAIL = """
            SELECT u.id, u.role, sa.password_hash, sa.totp_secret, sa.totp_enabled_at IS NOT NULL AS totp_enabled, sa.totp_required
            FROM staff_accounts sa JOIN users u ON u.id = sa.user_id
            WHERE sa.email = $1 AND u.banned_at IS NULL""";

    static final String STAFF_BY_ID = """
            SELECT u.id, u.role, sa.password_hash, sa.totp_secret, sa.totp_enabled_at IS NOT NULL AS totp_enabled, sa.totp_required
            FROM staff_accounts sa JOIN users u ON u.id = sa.user_id WHERE u.id = $1""";

    static final String UPDATE_PASSWORD_HASH = "UPDATE staff_accounts SET password_hash = $2 WHERE user_id = $1";

    /** A staff member's own new password: the forced change (after an admin's reset), if any, is done. */
    static final String CHANGE_PASSWORD = """
            UPDATE staff_accounts SET password_hash = $2, password_change_required = false WHERE user_id = $1""";

    /** An admin's reset ($2: the hash of a temporary password): the staff member must choose a new one at sign-in. */
    static final String RESET_PASSWORD = """
            UPDATE staff_accounts SET password_hash = $2, password_change_required = true WHERE user_id = $1""";

    /** Ends every open session of a user ($1) but one ($2), for a reason ($3). */
    static final String REVOKE_OTHER_SESSIONS = """
            UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id""";

    /** Replaces a TOTP secret stored in plain text ($2) by its sealed form ($3), unless it changed meanwhile. */
    static final String REPLACE_TOTP_SECRET = "UPDATE staff_accounts SET totp_secret = $3 WHERE user_id = $1 AND totp_secret = $2";

    static final String SET_TOTP_SECRET = """
            UPDATE staff_accounts SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL
            WHERE user_id = $1 AND totp_enabled_at IS NULL""";

    /** Accepts a time step once: the row changes only for a step newer than the last one used (replay protection across nodes). */
    static final String USE_TOTP_STEP = """
            UPDATE staff_accounts SET totp_last_step = $2, totp_enabled_at = coalesce(totp_enabled_at, now())
            WHERE user_id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
            RETURNING user_id""";

    static final String DISABLE_TOTP = """
            UPDATE staff_accounts SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE user_id = $1""";

    static final String SET_DISPLAY_NAME = "UPDATE users SET pseudonym = $2 WHERE id = $1 AND role <> 'member'";

    static final String ANY_ADMIN = "SELECT 1 FROM users WHERE role = 'admin' LIMIT 1";

    static final String INSERT_STAFF_USER = """
            INSERT INTO users (public_id, role, pseudonym, all_communities) VALUES ($1, $2, $3, $4) RETURNING id""";

    static final String INSERT_STAFF_ACCOUNT = """
            INSERT INTO staff_accounts (user_id, email, real_name, password_hash) VALUES ($1, $2, $3, $4)""";

    static final String INSERT_STAFF_COMMUNITIES = """
            INSERT INTO staff_communities (user_id, community_id)
            SELECT $1, id FROM communities WHERE slug = ANY($2)""";

    static final String COMMUNITY_FOR_JOIN = "SELECT id, age_bands FROM communities WHERE slug = $1";

    static final String CLAIM_INVITE = """
            UPDATE invites i SET uses_left = i.uses_left - 1
            FROM invite_batches b
            WHERE b.id = i.batch_id AND i.community_id = $1 AND i.code_hash = $2
              AND i.uses_left > 0 AND i.revoked_at IS NULL AND i.burned_at IS NULL AND i.expires_at > now()
              AND b.revoked_at IS NULL
            RETURNING i.id, b.audience""";

    static final String INSERT_MEMBER = """
            INSERT INTO users (public_id, role, community_id, pseudonym, age_band, invite_id, audience, region)
            VALUES ($1, 'member', $2, $3, $4, $5, $6, $7) RETURNING id""";

    private final Pool pool;

    public AccountRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<SessionRow>> findSession(byte[] tokenHash) {
        return pool.preparedQuery(SESSION_BY_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toSessionRow(rows.iterator().next())));
    }

    /** Revokes one session of a user; whether it was open. */
    public Future<Boolean> revokeSession(long sessionId, long userId, String reason) {
        return pool.preparedQuery(REVOKE_SESSION).execute(Tuple.of(sessionId, userId, reason)).map(rows -> rows.size() > 0);
    }

    /** Revokes every open session of a user; the ids that were open. */
    public Future<List<Long>> revokeUserSessions(long userId, String reason) {
        return pool.preparedQuery(REVOKE_USER_SESSIONS).execute(Tuple.of(userId, reason)).map(AccountRepository::ids);
    }

    /** The first column of each row: the ids a RETURNING id gave. */
    private static List<Long> ids(io.vertx.sqlclient.RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        for (Row r : rows) {
            ids.add(r.getLong(0));
        }
        return ids;
    }

    public Future<List<SessionInfo>> listSessions(long userId) {
        return pool.preparedQuery(LIST_SESSIONS).execute(Tuple.of(userId)).map(rows -> {
            List<SessionInfo> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new SessionInfo(r.getLong("id"), r.getOffsetDateTime("created_at").toInstant(),
                        r.getOffsetDateTime("expires_at").toInstant()));
            }
            return out;
        });
    }

    /** The staff account for an e-mail address, or empty (also for a disabled account). */
    public Future<Optional<StaffCredentials>> findStaff(String email) {
        return pool.preparedQuery(STAFF_BY_EMAIL).execute(Tuple.of(email)).map(AccountRepository::credentials);
    }

    public Future<Optional<StaffCredentials>> findStaff(long userId) {
        return pool.preparedQuery(STAFF_BY_ID).execute(Tuple.of(userId)).map(AccountRepository::credentials);
    }

    private static Optional<StaffCredentials> credentials(io.vertx.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new StaffCredentials(r.getLong("id"), Role.fromWireName(r.getString("role")).orElseThrow(),
                r.getString("password_hash"), r.getString("totp_secret"), r.getBoolean("totp_enabled"), r.getBoolean("totp_required")));
    }

    public Future<Void> updatePasswordHash(long userId, String hash) {
        return pool.preparedQuery(UPDATE_PASSWORD_HASH).execute(Tuple.of(userId, hash)).mapEmpty();
    }

    /** Replaces a plain-text TOTP secret by its sealed form (a no-op when the stored value is no longer {@code plain}). */
    public Future<Void> replaceTotpSecret(long userId, String plain, String sealed) {
        return pool.preparedQuery(REPLACE_TOTP_SECRET).execute(Tuple.of(userId, plain, sealed)).mapEmpty();
    }

    /**
     * A staff member's own password change in one transaction: the new hash, every other session
     * ended, and {@code audit} (given the connection); the ids of the sessions that ended.
     */
    public Future<List<Long>> changePassword(long userId, long keepSession, String hash,
                                             Function<SqlConnection, Future<Void>> audit) {
        return pool.withTransaction(conn -> conn.preparedQuery(CHANGE_PASSWORD).execute(Tuple.of(userId, hash))
                .compose(v -> conn.preparedQuery(REVOKE_OTHER_SESSIONS).execute(Tuple.of(userId, keepSession, "password_changed")))
                .compose(rows -> audit.apply(conn).map(ids(rows))));
    }

    /**
     * An admin's reset in one transaction: the temporary password's hash with the forced change,
     * every session of the user ended, and {@code audit}; the ids of the sessions that ended.
     */
    public Future<List<Long>> resetPassword(long userId, String hash, Function<SqlConnection, Future<Void>> audit) {
        return pool.withTransaction(conn -> conn.preparedQuery(RESET_PASSWORD).execute(Tuple.of(userId, hash))
                .compose(v -> conn.preparedQuery(REVOKE_USER_SESSIONS).execute(Tuple.of(userId, "password_reset")))
                .compose(rows -> audit.apply(conn).map(ids(rows))));
    }

    /** Stores a new, not yet confirmed TOTP secret; false when a second factor is already enabled. */
    public Future<Boolean> setTotpSecret(long userId, String secret) {
        return pool.preparedQuery(SET_TOTP_SECRET).execute(Tuple.of(userId, secret)).map(rows -> rows.rowCount() > 0);
    }

    /** Records a used TOTP time step (and enables the factor at its first use); false when the step was used already. */
    public Future<Boolean> useTotpStep(long userId, long step) {
        return pool.preparedQuery(USE_TOTP_STEP).execute(Tuple.of(userId, step)).map(rows -> rows.size() > 0);
    }

    /** A staff member's display name (what members see beside the verified badge). */
    public Future<Void> setDisplayName(long userId, String displayName) {
        return pool.preparedQuery(SET_DISPLAY_NAME).execute(Tuple.of(userId, displayName)).mapEmpty();
    }

    public Future<Void> disableTotp(long userId) {
        return pool.preparedQuery(DISABLE_TOTP).execute(Tuple.of(userId)).mapEmpty();
    }

    public Future<Long> createSession(long userId, byte[] tokenHash, Instant expiresAt) {
        return pool.preparedQuery(INSERT_SESSION)
                .execute(Tuple.of(Buffer.buffer(tokenHash), userId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Boolean> anyAdmin() {
        return pool.query(ANY_ADMIN).execute().map(rows -> rows.size() > 0);
    }

    /** Creates a staff account, its credentials and community links in one transaction; 23505 when the e-mail exists. */
    public Future<Long> createStaff(Role role, String displayName, String email, String realName, String passwordHash,
                                    boolean allCommunities, Set<String> communitySlugs) {
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_STAFF_USER)
                .execute(Tuple.of(Secrets.newPublicId(), role.wireName(), displayName, allCommunities))
                .map(rows -> rows.iterator().next().getLong(0))
                .compose(id -> conn.preparedQuery(INSERT_STAFF_ACCOUNT).execute(Tuple.of(id, email, realName, passwordHash)).map(id))
                .compose(id -> conn.preparedQuery(INSERT_STAFF_COMMUNITIES)
                        .execute(Tuple.of(id, (Object) communitySlugs.toArray(new String[0])))
                        .map(id)));
    }

    /** A community's id and the age bands it admits, or empty. */
    public Future<Optional<JoinTarget>> communityForJoin(String slug) {
        return pool.preparedQuery(COMMUNITY_FOR_JOIN).execute(Tuple.of(slug)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new JoinTarget(r.getLong("id"), Set.of(r.getArrayOfStrings("age_bands"))));
        });
    }

    /**
     * Claims one use of an invite and creates the member and a session, all or nothing.
     * Empty when the invite is not valid; fails with 23505 when the pseudonym is taken (and
     * then the invite use is rolled back with everything else).
     */
    public Future<Optional<Long>> joinWithInvite(long communityId, byte[] codeHash, String pseudonym, AgeBand ageBand,
                                                String region, byte[] tokenHash, Instant expiresAt) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_INVITE)
                .execute(Tuple.of(communityId, Buffer.buffer(codeHash)))
                .compose(claimed -> {
                    if (claimed.size() == 0) {
                        return Future.succeededFuture(Optional.<Long>empty());
                    }
                    Row invite = claimed.iterator().next();
                    return conn.preparedQuery(INSERT_MEMBER)
                            .execute(Tuple.from(new Object[] {Secrets.newPublicId(), communityId, pseudonym,
                                    ageBand.wireName(), invite.getLong("id"), invite.getString("audience"), region}))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .compose(userId -> conn.preparedQuery(INSERT_SESSION)
                                    .execute(Tuple.of(Buffer.buffer(tokenHash), userId,
                                            OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                                    .map(r -> Optional.of(userId)));
                }));
    }

    static SessionRow toSessionRow(Row row) {
        Role role = Role.fromWireName(row.getString("role")).orElseThrow();
        Set<Long> staffIds = new HashSet<>();
        for (Long id : row.getArrayOfLongs("staff_ids")) {
            staffIds.add(id);
        }
        Set<String> staffSlugs = Set.of(row.getArrayOfStrings("staff_slugs"));
        String ageBand = row.getString("age_band");
        String audience = row.getString("audience");
        Principal p = new Principal(
                row.getLong("user_id"),
                row.getString("public_id"),
                row.getString("pseudonym"),
                role,
                row.getLong("community_id"),
                row.getString("community_slug"),
                ageBand == null ? null : AgeBand.fromWireName(ageBand).orElseThrow(),
                audience == null ? null : Audience.fromWireName(audience).orElseThrow(),
                row.getString("region"),
                row.getBoolean("all_communities"),
                staffIds,
                staffSlugs,
                row.getLong("session_id"),
                row.getOffsetDateTime("expires_at").toInstant(),
                false,
                row.getBoolean("password_change_required"));
        return new SessionRow(p, Boolean.TRUE.equals(row.getBoolean("totp_enabled")), row.getBoolean("totp_required"));
    }

    /**
     * A session as stored, before the installation's TOTP rule is applied.
     *
     * @param totpRequired an admin requires a second factor of this account (whatever the installation's rule)
     */
    public record SessionRow(Principal principal, boolean totpEnabled, boolean totpRequired) {
    }

    /**
     * A staff account's login data. {@code totpSecret} may be set but not yet confirmed ({@code totpEnabled} false);
     * {@code totpRequired}: an admin requires a second factor of this account.
     */
    public record StaffCredentials(long userId, Role role, String passwordHash, String totpSecret, boolean totpEnabled,
                                   boolean totpRequired) {
    }

    /** An open session, as its owner sees it in their device list. */
    public record SessionInfo(long id, Instant createdAt, Instant expiresAt) {
    }

    /** The community a member signs up to. */
    public record JoinTarget(long id, Set<String> ageBands) {
    }
}
