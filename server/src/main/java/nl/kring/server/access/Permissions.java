package nl.kring.server.access;

import java.util.EnumMap;
import java.util.Map;

import static nl.kring.server.access.Rule.NO;
import static nl.kring.server.access.Rule.PARTICIPANT;
import static nl.kring.server.access.Rule.YES;
import nl.kring.server.shared.Actor;
import nl.kring.server.shared.RoomKind;

/**
 * The permission table: actor × action × room kind. This is the only place that says who may
 * do what; {@link Access} applies it together with the room's own conditions, and
 * {@code docs/permissions.md} is rendered from it ({@link #markdown()}; a test keeps the two
 * equal). Immutable and thread-safe.
 *
 * <p>Reasons behind the table: members and relatives (naasten) have separate spaces; one-to-one
 * talks are open only to their two participants, so no one else reads them outside a moderation
 * item; the operator runs the installation (communities, staff) but reads no conversation, and so
 * makes no admin either (an admin reads conversations): admins are made by installation admins. The
 * moderation queue is for moderators and admins ({@code moderate}); professionals see and act on
 * the items escalated to them ({@code handle escalations}); staff who drop in go on duty. Peer
 * experts and professionals host a consultation hour's one-to-one talks; moderators watch the
 * rooms but do not take talks.
 */
public final class Permissions {

    private static final RoomKind[] KINDS = RoomKind.values();
    private static final Map<Actor, Map<Action, Rule[]>> TABLE = new EnumMap<>(Actor.class);

    static {
        //                                      community naasten age_banded spreekuur private
        Rule[] memberRooms = {YES, NO, YES, YES, PARTICIPANT};
        Rule[] naasteRooms = {NO, YES, NO, YES, PARTICIPANT};
        Rule[] staffRooms = {YES, YES, YES, YES, PARTICIPANT};
        Rule[] nowhere = {NO, NO, NO, NO, NO};
        Rule[] everywhere = {YES, YES, YES, YES, YES};
        Rule[] managedRooms = {YES, YES, YES, YES, NO};
        Rule[] community = {YES};
        Rule[] not = {NO};

        //                                                                                 invites staff manage duty escalations host admins
        put(Actor.MEMBER, memberRooms, memberRooms, memberRooms, memberRooms, nowhere, nowhere, not, not, not, not, not, not, not);
        put(Actor.NAASTE, naasteRooms, naasteRooms, naasteRooms, naasteRooms, nowhere, nowhere, not, not, not, not, not, not, not);
        put(Actor.PEER_EXPERT, staffRooms, staffRooms, staffRooms, staffRooms, nowhere, nowhere, not, not, not, community, not,
                community, not);
        put(Actor.PROFESSIONAL, staffRooms, staffRooms, staffRooms, staffRooms, nowhere, nowhere, not, not, not, community, community,
                community, not);
        put(Actor.MODERATOR, staffRooms, staffRooms, staffRooms, staffRooms, everywhere, nowhere, not, not, not, community, community,
                not, not);
        put(Actor.ADMIN, staffRooms, staffRooms, staffRooms, staffRooms, everywhere, managedRooms, community, community, community,
                community, community, community, community);
        put(Actor.OPERATOR, nowhere, nowhere, nowhere, nowhere, nowhere, nowhere, not, community, community, not, not, not, not);

        // the back office (issue 27):           member naaste peer_expert professional moderator admin operator
        grant(Action.SET_ROOM_CONTROLS, nowhere, nowhere, nowhere, nowhere, managedRooms, managedRooms, nowhere);
        grant(Action.SEE_LIVE_NUMBERS, not, not, not, not, community, community, community);
        grant(Action.READ_AUDIT, not, not, not, not, not, community, community);
        grant(Action.SEE_INSTALLATION_STATUS, not, not, not, not, not, community, community);
        // VraagBaak (protocol section 9): members ask; the editors (moderators, admins) review and publish;
        // professionals and peer experts answer (an editor may assign a question to one). The operator reads no question.
        //                                  ask        answer     edit
        questions(Actor.MEMBER, community, not, not);
        questions(Actor.NAASTE, community, not, not);
        questions(Actor.PEER_EXPERT, not, community, not);
        questions(Actor.PROFESSIONAL, not, community, not);
        questions(Actor.MODERATOR, not, community, community);
        questions(Actor.ADMIN, not, community, community);
        questions(Actor.OPERATOR, not, not, not);
    }

    private static void questions(Actor actor, Rule[] ask, Rule[] answer, Rule[] edit) {
        Map<Action, Rule[]> row = TABLE.get(actor);
        row.put(Action.ASK_QUESTIONS, ask);
        row.put(Action.ANSWER_QUESTIONS, answer);
        row.put(Action.EDIT_QUESTIONS, edit);
    }

    private Permissions() {
    }

    private static void put(Actor actor, Rule[] join, Rule[] history, Rule[] send, Rule[] report, Rule[] moderate,
                            Rule[] manageRooms, Rule[] invites, Rule[] staff, Rule[] manageCommunity, Rule[] duty,
                            Rule[] escalations, Rule[] host, Rule[] createAdmins) {
        Map<Action, Rule[]> row = new EnumMap<>(Action.class);
        row.put(Action.JOIN, join);
        row.put(Action.READ_HISTORY, history);
        row.put(Action.SEND, send);
        row.put(Action.REPORT, report);
        row.put(Action.MODERATE, moderate);
        row.put(Action.MANAGE_ROOMS, manageRooms);
        row.put(Action.ISSUE_INVITES, invites);
        row.put(Action.MANAGE_STAFF, staff);
        row.put(Action.MANAGE_COMMUNITY, manageCommunity);
        row.put(Action.GO_ON_DUTY, duty);
        row.put(Action.HANDLE_ESCALATIONS, escalations);
        row.put(Action.HOST_TALKS, host);
        row.put(Action.CREATE_ADMINS, createAdmins);
        TABLE.put(actor, row);
    }

    /** One action's column for every actor, in the order of {@link Actor}. */
    private static void grant(Action action, Rule[]... byActor) {
        Actor[] actors = Actor.values();
        if (byActor.length != actors.length) {
            throw new IllegalStateException(action + ": one rule list per actor");
        }
        for (int i = 0; i < actors.length; i++) {
            TABLE.get(actors[i]).put(action, byActor[i]);
        }
    }

    /** The rule for a room action in a room of the given kind. */
    public static Rule rule(Actor actor, Action action, RoomKind kind) {
        if (!action.roomScoped()) {
            throw new IllegalArgumentException(action + " does not depend on a room kind");
        }
        return TABLE.get(actor).get(action)[kind.ordinal()];
    }

    /** Whether a community-wide action is allowed (within the communities the actor works in). */
    public static boolean allows(Actor actor, Action action) {
        if (action.roomScoped()) {
            throw new IllegalArgumentException(action + " depends on a room kind");
        }
        return TABLE.get(actor).get(action)[0] == YES;
    }

    /** The table as Markdown, as {@code docs/permissions.md} shows it. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| actor | action |");
        for (RoomKind k : KINDS) {
            out.append(' ').append(k.wireName()).append(" |");
        }
        out.append('\n').append("|---|---|");
        out.append("---|".repeat(KINDS.length)).append('\n');
        for (Actor actor : Actor.values()) {
            for (Action action : Action.values()) {
                out.append("| ").append(actor.label()).append(" | ").append(action.label()).append(" |");
                if (action.roomScoped()) {
                    for (RoomKind k : KINDS) {
                        out.append(' ').append(rule(actor, action, k).label()).append(" |");
                    }
                } else {
                    String cell = !allows(actor, action) ? NO.label()
                            : action == Action.CREATE_ADMINS ? "yes (installation admins only)"
                            : action == Action.SEE_INSTALLATION_STATUS ? "yes (installation-wide staff only)" : "yes (whole community)";
                    for (RoomKind k : KINDS) {
                        out.append(' ').append(cell).append(" |");
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
