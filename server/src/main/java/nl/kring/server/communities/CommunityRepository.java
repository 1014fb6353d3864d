package nl.kring.server.communities;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for communities. */
public final class CommunityRepository {

    static final String COLUMNS = "id, slug, name, primary_colour, accent_colour, logo, welcome_text, house_rules, age_bands, policy, "
            + "(SELECT (extract(epoch FROM l.updated_at) * 1000)::bigint FROM community_logos l WHERE l.community_id = id) AS logo_version";
    static final String BY_SLUG = "SELECT " + COLUMNS + " FROM communities WHERE slug = $1";
    static final String BY_ID = "SELECT " + COLUMNS + " FROM communities WHERE id = $1";
    static final String LIST = "SELECT " + COLUMNS + " FROM communities WHERE $1 OR id = ANY($2) ORDER BY slug";
    static final String INSERT = "INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING " + COLUMNS;
    static final String UPDATE = """
            UPDATE communities SET name = $2, primary_colour = $3, accent_colour = $4, logo = $5, welcome_text = $6,
                   house_rules = $7, age_bands = $8, policy = $9
            WHERE id = $1 RETURNING""" + " " + COLUMNS;

    private final Pool pool;

    public CommunityRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Community>> bySlug(String slug) {
        return pool.preparedQuery(BY_SLUG).execute(Tuple.of(slug)).map(CommunityRepository::first);
    }

    public Future<Optional<Community>> byId(long id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(CommunityRepository::first);
    }

    public Future<List<Community>> list(boolean all, Long[] ids) {
        return pool.preparedQuery(LIST).execute(Tuple.of(all, (Object) ids)).map(rows -> {
            List<Community> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(toCommunity(r));
            }
            return out;
        });
    }

    /** Fails with 23505 when the slug exists. */
    public Future<Community> insert(String slug, String name) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(slug, name)).map(rows -> toCommunity(rows.iterator().next()));
    }

    public Future<Community> update(Community c) {
        return pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {c.id(), c.name(), c.primaryColour(),
                        c.accentColour(), c.logo(), c.welcomeText(), c.houseRules(), c.ageBands().toArray(new String[0]), c.policy()}))
                .map(rows -> toCommunity(rows.iterator().next()));
    }

    private static Optional<Community> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toCommunity(rows.iterator().next()));
    }

    static Community toCommunity(Row r) {
        Object policy = r.getValue("policy");
        return new Community(r.getLong("id"), r.getString("slug"), r.getString("name"), r.getString("primary_colour"),
                r.getString("accent_colour"), r.getString("logo"), r.getString("welcome_text"), r.getString("house_rules"),
                List.of(r.getArrayOfStrings("age_bands")), policy instanceof JsonObject j ? j : new JsonObject(),
                r.getLong("logo_version") == null ? 0 : r.getLong("logo_version"));
    }
}
