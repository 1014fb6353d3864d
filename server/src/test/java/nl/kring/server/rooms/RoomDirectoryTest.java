package nl.kring.server.rooms;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.Audience;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.shared.RoomSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The room list's filter, without a database or HTTP: which rooms a user is shown as joinable. */
class RoomDirectoryTest {

    static final long HOME = 1;
    static final long ELSEWHERE = 2;

    static Principal member(Audience audience) {
        return new Principal(10, "m1", "Merel", Role.MEMBER, HOME, "home", AgeBand.AGE_12_15, audience, "utrecht",
                false, Set.of(), Set.of(), 100, Instant.MAX, false);
    }

    static Principal moderatorOf(long community) {
        return new Principal(20, "s1", "Sam", Role.MODERATOR, null, null, null, null, null,
                false, Set.of(community), Set.of("c" + community), 200, Instant.MAX, false);
    }

    static RoomRepository.RoomSummary room(long id, long community, RoomKind kind, Set<AgeBand> bands, String region, boolean archived) {
        return new RoomRepository.RoomSummary(id, community, "c" + community,
                new RoomSettings("room " + id, kind, bands, region, RoomSettings.DEFAULT_CAPACITY, 0, false, null, archived));
    }

    static final List<RoomRepository.RoomSummary> ROOMS = List.of(
            room(1, HOME, RoomKind.COMMUNITY, Set.of(), null, false),
            room(2, ELSEWHERE, RoomKind.COMMUNITY, Set.of(), null, false),
            room(3, HOME, RoomKind.COMMUNITY, Set.of(), null, true),
            room(4, HOME, RoomKind.AGE_BANDED, Set.of(AgeBand.AGE_12_15), null, false),
            room(5, HOME, RoomKind.AGE_BANDED, Set.of(AgeBand.AGE_16_17), null, false),
            room(6, HOME, RoomKind.COMMUNITY, Set.of(), "utrecht", false),
            room(7, HOME, RoomKind.COMMUNITY, Set.of(), "groningen", false),
            room(8, HOME, RoomKind.NAASTEN, Set.of(), null, false),
            room(9, HOME, RoomKind.PRIVATE, Set.of(), null, false));

    static List<Long> ids(List<RoomRepository.RoomSummary> rooms) {
        return rooms.stream().map(RoomRepository.RoomSummary::id).toList();
    }

    @Test
    void aMemberSeesHerCommunitysOpenRoomsForHerAgeAndRegionOnly() {
        // GIVEN a member aged 12-15 from Utrecht, WHEN the rooms are filtered for her
        List<RoomRepository.RoomSummary> shown = RoomDirectory.joinable(member(Audience.MEMBER), ROOMS);

        // THEN no other community, no archived room, no other age band or province, no naasten or private room
        assertThat(ids(shown)).containsExactly(1L, 4L, 6L);
    }

    @Test
    void aNaasteSeesTheNaastenRoomAndNotTheYoungPeoplesRooms() {
        assertThat(ids(RoomDirectory.joinable(member(Audience.NAASTE), ROOMS))).containsExactly(8L);
    }

    @Test
    void staffSeeEveryOpenRoomOfTheirCommunityWhateverItsAudienceButNoTalks() {
        assertThat(ids(RoomDirectory.joinable(moderatorOf(HOME), ROOMS))).containsExactly(1L, 4L, 5L, 6L, 7L, 8L);
        assertThat(ids(RoomDirectory.joinable(moderatorOf(ELSEWHERE), ROOMS))).containsExactly(2L);
    }
}
