package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Locale;
import nl.kring.server.access.Action;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * A community's uploaded logo (the back office, issue 27): PNG, JPEG or WebP of at most 256 KiB,
 * its declared type checked against the file's magic bytes, stored in PostgreSQL (every node serves
 * the same one), served to anyone. Setting and removing it is "manage community", audited. Stateless.
 */
public final class CommunityLogos {

    /** The largest logo: a few hundred pixels square compresses far below this. */
    public static final int MAX_BYTES = 256 * 1024;

    static final String UPSERT = """
            INSERT INTO community_logos (community_id, media_type, bytes) VALUES ($1, $2, $3)
            ON CONFLICT (community_id) DO UPDATE SET media_type = $2, bytes = $3, updated_at = clock_timestamp()""";
    static final String DELETE = "DELETE FROM community_logos WHERE community_id = $1";
    static final String READ = """
            SELECT l.media_type, l.bytes FROM community_logos l JOIN communities c ON c.id = l.community_id WHERE c.slug = $1""";

    /** A stored logo. */
    public record Logo(String mediaType, Buffer bytes) {
    }

    private final Database db;
    private final CommunityAdmin communities;

    public CommunityLogos(Database db, CommunityAdmin communities) {
        this.db = db;
        this.communities = communities;
    }

    /**
     * Stores the logo: {@code payload_too_large} over {@link #MAX_BYTES}, {@code unsupported_media_type}
     * when the declared type is not PNG, JPEG or WebP or the bytes are not of that type.
     */
    public Future<Void> put(Principal p, String slug, String contentType, Buffer bytes) {
        if (bytes == null || bytes.length() == 0) {
            throw KringException.badRequest("the body must be the image");
        }
        if (bytes.length() > MAX_BYTES) {
            throw new KringException(ErrorCode.PAYLOAD_TOO_LARGE, "a logo may be at most 256 KiB");
        }
        String type = mediaType(contentType);
        if (!matches(type, bytes.getBytes(0, Math.min(bytes.length(), 12)))) {
            throw new KringException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the file is not a " + type + " image");
        }
        return communities.community(p, slug, Action.MANAGE_COMMUNITY).compose(c -> db.pool().withTransaction(conn ->
                        conn.preparedQuery(UPSERT).execute(Tuple.of(c.id(), type, bytes))
                                .compose(v -> AuditLog.record(conn, p.userId(), "community.logo_set", c.id(), null, "community:" + c.id(),
                                        null, null, new JsonObject().put("mediaType", type).put("bytes", bytes.length()))))
                .recover(t -> Future.failedFuture(db.failure(t))));
    }

    public Future<Void> delete(Principal p, String slug) {
        return communities.community(p, slug, Action.MANAGE_COMMUNITY).compose(c -> db.pool().withTransaction(conn ->
                        conn.preparedQuery(DELETE).execute(Tuple.of(c.id()))
                                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
                                        : AuditLog.record(conn, p.userId(), "community.logo_removed", c.id(), null, "community:" + c.id(),
                                                null, null, null)))
                .recover(t -> Future.failedFuture(db.failure(t))));
    }

    /** The logo for anyone; {@code not_found} when the community has none (or does not exist). */
    public Future<Logo> get(String slug) {
        return db.pool().preparedQuery(READ).execute(Tuple.of(slug))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no logo"));
                    }
                    Row r = rows.iterator().next();
                    return Future.succeededFuture(new Logo(r.getString("media_type"), r.getBuffer("bytes")));
                });
    }

    /** The declared media type, without parameters; {@code unsupported_media_type} unless PNG, JPEG or WebP. */
    static String mediaType(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("image/png") && !type.equals("image/jpeg") && !type.equals("image/webp")) {
            throw new KringException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a logo must be image/png, image/jpeg or image/webp");
        }
        return type;
    }

    /** Whether the file's first bytes are the magic of its declared type. */
    static boolean matches(String type, byte[] head) {
        return switch (type) {
            case "image/png" -> startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
            case "image/jpeg" -> startsWith(head, 0, 0xff, 0xd8, 0xff);
            case "image/webp" -> startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P');
            default -> false;
        };
    }

    private static boolean startsWith(byte[] head, int offset, int... magic) {
        if (head.length < offset + magic.length) {
            return false;
        }
        byte[] expected = new byte[magic.length];
        for (int i = 0; i < magic.length; i++) {
            expected[i] = (byte) magic[i];
        }
        return Arrays.equals(head, offset, offset + magic.length, expected, 0, magic.length);
    }
}
