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
