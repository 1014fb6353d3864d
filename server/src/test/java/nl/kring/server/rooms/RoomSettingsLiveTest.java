package nl.kring.server.rooms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static nl.kring.server.rooms.RoomSettingsTest.memberWith;
import static nl.kring.server.rooms.RoomSettingsTest.patch;
import static nl.kring.server.rooms.RoomSettingsTest.room;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room setting changes reach the sockets already in the room (issue 26, item 4): every live
 * subscription is checked again, and a socket that may no longer be there leaves the room at once
 * and gets a {@code left} event. Both tests failed on the code before the fix: no {@code left}
 * event ever came (the member kept receiving until they reconnected), so {@code nextOfType("left")}
 * timed out.
 */
class RoomSettingsLiveTest extends OneServer {

    @Test
    void aMemberInARoomThatIsArchivedLeavesItAndReceivesNothingSentAfterwards() {
        String slug = server.community();
        String room = server.room(slug);
        try (WsClient member = server.connect(server.member(slug));
             WsClient staff = server.connect(api.staff("moderator", slug))) {
            TestServer.join(member, room);
            TestServer.join(staff, room);
            assertThat(TestServer.sendMessage(staff, room, "before", "Welkom").getBoolean("ok")).isTrue();
            member.next(f -> "message".equals(f.getString("type")) && "before".equals(f.getString("clientMsgId")));

            // WHEN the admin archives the room while both are in it
            assertThat(patch(room, new JsonObject().put("archived", true)).status()).isEqualTo(200);

            // THEN both sockets leave it at once, told that the room is gone (archived is not_found for everyone)
            JsonObject left = member.nextOfType("left");
            assertThat(left.getString("room")).isEqualTo(room);
            assertThat(left.getJsonObject("error").getString("code")).isEqualTo("not_found");
            assertThat(staff.nextOfType("left").getString("room")).isEqualTo(room);
            // nobody may send in an archived room, staff included
            assertThat(TestServer.sendMessage(staff, room, "archived", "Nog iemand?").getJsonObject("error").getString("code"))
                    .isEqualTo("not_found");

            // AND when the room is opened again and staff join and post, the member (who did not join again) gets nothing
            assertThat(patch(room, new JsonObject().put("archived", false)).status()).isEqualTo(200);
            TestServer.join(staff, room);
            assertThat(TestServer.sendMessage(staff, room, "after", "Weer open").getBoolean("ok")).isTrue();
            staff.next(f -> "message".equals(f.getString("type")) && "after".equals(f.getString("clientMsgId")));
            // a round trip on the member's socket orders everything posted to it before
            member.request("leave", new JsonObject().put("room", "999999999"));
            assertThat(member.drain()).noneMatch(f -> "message".equals(f.getString("type")));
        }
    }

    @Test
    void narrowingTheAgeBandsRemovesOnlyTheMembersOutsideThemAndTheOthersKeepReceiving() {
        String slug = server.community();
        String room = room(slug, new JsonObject().put("name", "12-17 jaar").put("kind", "age_banded")
                .put("ageBands", new JsonArray(List.of("12-15", "16-17"))));
        try (WsClient young = server.connect(memberWith(slug, "12-15", null));
             WsClient older = server.connect(memberWith(slug, "16-17", null));
             WsClient staff = server.connect(api.staff("moderator", slug))) {
            TestServer.join(young, room);
            TestServer.join(older, room);
            TestServer.join(staff, room);

            // WHEN the admin narrows the room to 12-15
            assertThat(patch(room, new JsonObject().put("ageBands", new JsonArray(List.of("12-15")))).status()).isEqualTo(200);

            // THEN the 16-17 member leaves it, told why
            JsonObject left = older.nextOfType("left");
            assertThat(left.getString("room")).isEqualTo(room);
            assertThat(left.getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(left.getJsonObject("error").getString("message")).contains("other ages");

            // AND the 12-15 member and staff stay: the next message reaches them, not the member who left
            assertThat(TestServer.sendMessage(staff, room, "narrowed", "Alleen 12-15 nu").getBoolean("ok")).isTrue();
            young.next(f -> "message".equals(f.getString("type")) && "narrowed".equals(f.getString("clientMsgId")));
            assertThat(TestServer.sendMessage(young, room, "still-here", "Ik ben er nog").getBoolean("ok")).isTrue();
            staff.next(f -> "message".equals(f.getString("type")) && "still-here".equals(f.getString("clientMsgId")));
            older.request("leave", new JsonObject().put("room", "999999999"));
            assertThat(older.drain()).noneMatch(f -> "message".equals(f.getString("type")));
            assertThat(young.drain()).noneMatch(f -> "left".equals(f.getString("type")));
            assertThat(staff.drain()).noneMatch(f -> "left".equals(f.getString("type")));
            // and a join again is refused, as for any member of that age
            assertThat(older.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("forbidden");
        }
    }
}
