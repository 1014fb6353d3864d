package nl.kring.server.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.kring.server.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema keeps members anonymous, and migrations carry an existing installation forward. */
class SchemaPrivacyTest {

    /** Words in a column name that suggest personal data. */
    static final Set<String> PERSONAL = Set.of("name", "firstname", "lastname", "surname", "email", "mail", "phone",
            "telephone", "tel", "mobile", "birth", "birthday", "birthdate", "dob", "address", "addr", "street", "postcode",
            "zip", "ip", "bsn", "ssn", "gender");

    /**
     * The only columns allowed to match: names of communities and rooms (not people), and a
     * staff member's login and real name in the staff-only table (shown to admins, audited).
     */
    static final Set<String> ALLOWED = Set.of("communities.name", "rooms.name", "staff_accounts.email", "staff_accounts.real_name",
            "help_resources.phone");

    @Test
    void noTableHasAColumnThatLooksLikePersonalDataOutsideTheStaffAccounts() throws Exception {
        // GIVEN the schema as the migrations leave it
        var db = TestDatabase.fresh();
        Migrations.migrate(db);
        List<String> offenders = new ArrayList<>();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT table_name, column_name, data_type FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'""")) {
            while (rs.next()) {
                String column = rs.getString(1) + "." + rs.getString(2);
                boolean personal = false;
                for (String word : rs.getString(2).toLowerCase().split("_")) {
                    personal |= PERSONAL.contains(word);
                }
                // an IP address column by type, whatever its name
                personal |= Set.of("inet", "cidr", "macaddr").contains(rs.getString(3));
                if (personal && !ALLOWED.contains(column)) {
                    offenders.add(column);
                }
            }
        }
        // THEN nothing but the allowed staff columns looks like personal data
        assertThat(offenders).as("columns that look like personal data").isEmpty();
    }

    /**
     * Every column of free text (text, text[] or jsonb whose CHECK does not limit it to a list of
     * codes or a pattern), by who writes it. A member's own words must be blanked or deleted by
     * retention and by erasure (docs/operations.md, "What is kept how long"), so a new column of
     * free text fails here until it is placed in one of these sets and, if a member writes it, in
     * {@code RetentionJob} and {@code MemberService}. Issue 26 item 7 added the check.
     */
    static final java.util.Map<String, String> MEMBER_WORDS = java.util.Map.of(
            "messages.body", "retention deletes the message; erasure blanks it",
            "held_messages.body", "retention and erasure blank it",
            "mod_items.why", "#chatsafe quotes the message: blanked with it",
            "reports.reason", "retention deletes the report; erasure blanks it",
            "spreekuur_requests.topic", "blanked when the talk ends or the wait stops; retention deletes the row; erasure blanks it",
            "spreekuur_feedback.comment", "no link to its author; retention blanks it",
            "users.pseudonym", "erasure replaces it after the cooling-off period",
            "questions.title", "a VraagBaak question's own words: retention deletes a returned or rejected one; erasure deletes an "
                    + "unpublished one and blanks a published one's (the editors' wording stays)",
            "questions.body", "as questions.title");
    /** Free text that is no member's words: written by staff, by #chatsafe, or by Kring itself. */
    static final Set<String> OTHER_TEXT = Set.of(
            // ids that the client app chooses, kept with the message for idempotency
            "messages.client_msg_id", "held_messages.client_msg_id", "users.public_id",
            // #chatsafe's and the queue's codes
            "chatsafe_prompts.category", "held_messages.category", "held_messages.findings", "held_messages.rule",
            "mod_items.category", "mod_items.sources",
            // written by staff (a warning's words in member_notices.detail: deleted after 90 days and by erasure)
            "audit_events.reason", "audit_events.target", "audit_events.before", "audit_events.after", "member_notices.detail",
            "communities.name", "communities.house_rules", "communities.welcome_text", "communities.policy",
            "help_resources.title", "help_resources.description", "help_resources.hours", "help_resources.phone",
            "invite_batches.label", "rooms.name", "rooms.pinned_notice",
            "spreekuren.topic", "spreekuren.description", "spreekuren.closing_text",
            // VraagBaak: the editors' wording for publication, the answer, the reason for the asker (all by staff)
            "questions.public_title", "questions.public_body", "questions.answer", "questions.reason",
            "staff_accounts.email", "staff_accounts.password_hash", "staff_accounts.real_name", "staff_accounts.totp_secret",
            "staff_accounts.badge");

    @Test
    void everyColumnOfFreeTextIsKnownAndAMembersWordsAreAmongThoseThatRetentionAndErasureCover() throws Exception {
        var db = TestDatabase.fresh();
        Migrations.migrate(db);
        Set<String> free = new java.util.TreeSet<>();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT cl.relname || '.' || a.attname FROM pg_attribute a
                     JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                     WHERE n.nspname = 'public' AND cl.relkind = 'r' AND cl.relname <> 'flyway_schema_history'
                       AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid IN ('text'::regtype, 'text[]'::regtype, 'jsonb'::regtype)
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = cl.oid AND k.contype = 'c'
                           AND a.attnum = ANY (k.conkey) AND pg_get_constraintdef(k.oid) ~ ('\\(' || a.attname || ' (~|= ANY|<@)'))""")) {
            while (rs.next()) {
                free.add(rs.getString(1));
            }
        }
        Set<String> known = new java.util.TreeSet<>(MEMBER_WORDS.keySet());
        known.addAll(OTHER_TEXT);
        assertThat(free).as("columns of free text").isEqualTo(known);
    }

    @Test
    void theUsersTableHoldsNoStaffCredentialsAnyMore() throws Exception {
        var db = TestDatabase.fresh();
        Migrations.migrate(db);
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_name = 'users'")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            assertThat(columns).doesNotContain("email", "password_hash").contains("pseudonym", "age_band", "audience");
        }
    }

    @Test
    void anInstallationOnTheFirstSchemaKeepsItsStaffLoginsAndInvites() throws Exception {
        // GIVEN a database on schema version 1 with a staff account, a community, an invite and a member
        var db = TestDatabase.fresh();
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .target("1").load().migrate();
        TestDatabase.execute(db, """
                INSERT INTO communities (slug, name) VALUES ('psychose', 'Psychose');
                INSERT INTO users (public_id, role, pseudonym, email, password_hash, all_communities)
                     VALUES ('u_staff', 'admin', 'Beheerder', 'beheer@kring.test', '$argon2id$v=19$m=19456,t=2,p=1$a$b', true);
                INSERT INTO invites (community_id, code_hash, uses_left, expires_at)
                     VALUES (1, '\\x01', 3, now() + interval '7 days');
                INSERT INTO users (public_id, role, community_id, pseudonym, age_band, invite_id)
                     VALUES ('u_member', 'member', 1, 'anna', '16-17', 1);""");
        // WHEN it is migrated to the newest schema
        Migrations.migrate(db);
        // THEN the staff login moved to staff_accounts, the invite sits in a batch, the member is a member
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            ResultSet staff = s.executeQuery("SELECT email FROM staff_accounts sa JOIN users u ON u.id = sa.user_id WHERE u.public_id = 'u_staff'");
            assertThat(staff.next()).isTrue();
            assertThat(staff.getString(1)).isEqualTo("beheer@kring.test");
            ResultSet invite = s.executeQuery("SELECT b.label, i.uses_left FROM invites i JOIN invite_batches b ON b.id = i.batch_id");
            assertThat(invite.next()).isTrue();
            assertThat(invite.getInt(2)).isEqualTo(3);
            ResultSet member = s.executeQuery("SELECT audience FROM users WHERE public_id = 'u_member'");
            assertThat(member.next()).isTrue();
            assertThat(member.getString(1)).isEqualTo("member");
        }
    }

    @Test
    void theAuditTableIsAppendOnly() throws Exception {
        var db = TestDatabase.fresh();
        Migrations.migrate(db);
        TestDatabase.execute(db, "INSERT INTO audit_events (action, reason) VALUES ('test.event', 'r')");
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("UPDATE audit_events SET reason = 'changed'"))
                    .hasMessageContaining("append-only");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("DELETE FROM audit_events"))
                    .hasMessageContaining("append-only");
        }
    }
}
