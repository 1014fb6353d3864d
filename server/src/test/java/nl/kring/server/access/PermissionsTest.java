package nl.kring.server.access;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import nl.kring.server.shared.Actor;
import nl.kring.server.shared.RoomKind;

class PermissionsTest {

    @Test
    void theDocumentedTableIsTheEnforcedTable() throws Exception {
        // GIVEN docs/permissions.md, which people read
        String doc = Files.readString(Path.of("..", "docs", "permissions.md"));
        // THEN it contains the table the server enforces, cell for cell
        assertThat(doc).contains(Permissions.markdown());
    }

    @Test
    void everyCellHasARule() {
        for (Actor actor : Actor.values()) {
            for (Action action : Action.values()) {
                if (action.roomScoped()) {
                    for (RoomKind kind : RoomKind.values()) {
                        assertThat(Permissions.rule(actor, action, kind)).as("%s %s %s", actor, action, kind).isNotNull();
                    }
                } else {
                    Permissions.allows(actor, action);
                }
            }
        }
    }

    @Test
    void membersAndRelativesHaveSeparateSpaces() {
        assertThat(Permissions.rule(Actor.MEMBER, Action.JOIN, RoomKind.COMMUNITY)).isEqualTo(Rule.YES);
        assertThat(Permissions.rule(Actor.MEMBER, Action.JOIN, RoomKind.NAASTEN)).isEqualTo(Rule.NO);
        assertThat(Permissions.rule(Actor.NAASTE, Action.JOIN, RoomKind.NAASTEN)).isEqualTo(Rule.YES);
        assertThat(Permissions.rule(Actor.NAASTE, Action.JOIN, RoomKind.COMMUNITY)).isEqualTo(Rule.NO);
    }

    @Test
    void theOperatorRunsTheInstallationButReadsNoConversation() {
        for (RoomKind kind : RoomKind.values()) {
            assertThat(Permissions.rule(Actor.OPERATOR, Action.JOIN, kind)).isEqualTo(Rule.NO);
            assertThat(Permissions.rule(Actor.OPERATOR, Action.READ_HISTORY, kind)).isEqualTo(Rule.NO);
        }
        assertThat(Permissions.allows(Actor.OPERATOR, Action.MANAGE_STAFF)).isTrue();
        assertThat(Permissions.allows(Actor.OPERATOR, Action.MANAGE_COMMUNITY)).isTrue();
        assertThat(Permissions.allows(Actor.OPERATOR, Action.ISSUE_INVITES)).isFalse();
    }

    @Test
    void onlyAdminsMakeAdminsSinceAnAdminReadsConversations() {
        // issue 26, item 9: the operator could make an admin, and so read conversations through it
        for (Actor actor : Actor.values()) {
            assertThat(Permissions.allows(actor, Action.CREATE_ADMINS)).as("%s", actor).isEqualTo(actor == Actor.ADMIN);
        }
        assertThat(Permissions.rule(Actor.ADMIN, Action.READ_HISTORY, RoomKind.COMMUNITY)).isEqualTo(Rule.YES);
    }

    @Test
    void privateTalksAreOnlyForTheirParticipants() {
        for (Actor actor : Actor.values()) {
            assertThat(Permissions.rule(actor, Action.JOIN, RoomKind.PRIVATE)).isIn(Rule.PARTICIPANT, Rule.NO);
            assertThat(Permissions.rule(actor, Action.READ_HISTORY, RoomKind.PRIVATE)).isIn(Rule.PARTICIPANT, Rule.NO);
        }
    }
}
