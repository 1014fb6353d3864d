package nl.kring.server.spreekuur;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What members and hosts are shown of the one-to-one queue and of a talk: who sees whose words, and the estimate. */
class QueueViewsTest {

    static final Instant T0 = Instant.parse("2030-03-05T18:00:00Z");
    static final long ROOM = 7;

    final HostPresence presence = new HostPresence();
    final QueueViews views = new QueueViews(presence);

    static Spreekuren.Info session(boolean open) {
        Schedule schedule = Schedule.once(LocalDate.of(2030, 3, 5), LocalTime.of(19, 0), Duration.ofMinutes(90));
        return new Spreekuren.Info(3, 1, "angst", ROOM, "Angst", "", schedule, 50, true, "Tot ziens", new JsonArray(),
                open ? schedule.on(schedule.firstDay()) : null);
    }

    static QueuePositions queue(int running) {
        return new QueuePositions(List.of(
                new QueuePositions.Waiting(11, 101, "m1", "Roos", 1, "high", "ik ben bang", T0),
                new QueuePositions.Waiting(12, 102, "m2", "Tulp", 2, "none", null, T0.plusSeconds(60))),
                running, WaitEstimate.fromRecent(List.of()));
    }

    static Talk talk(Instant endedAt) {
        return new Talk(5, 3, 1, 70, 101, 201, T0, endedAt, endedAt == null ? null : "care", 1, false, 120,
                "m1", "Roos", "h1", "Anna", "professional", "ik ben bang", "high");
    }

    @Test
    void aWaitingMemberSeesTheirPlaceAndAnEstimateOnlyWhileAHostIsPresent() {
        JsonObject noHost = views.mine(session(true), queue(0), 102);
        assertThat(noHost.getString("state")).isEqualTo("waiting");
        assertThat(noHost.getInteger("position")).isEqualTo(2);
        assertThat(noHost.getInteger("queueLength")).isEqualTo(2);
        assertThat(noHost.containsKey("estimatedWaitMinutes")).as("no host, no estimate").isFalse();

        presence.entered(ROOM, 201, new HostPresence.Host("h1", "Anna", "professional", true));
        JsonObject withHost = views.mine(session(true), queue(1), 102);
        assertThat(withHost.getInteger("hostsPresent")).isEqualTo(1);
        assertThat(withHost.getLong("estimatedWaitMinutes")).as("two talks of 15 minutes before them").isEqualTo(30L);
    }

    @Test
    void someoneNotInTheQueueIsToldNoneWhileOpenAndClosedOtherwise() {
        assertThat(views.mine(session(true), queue(0), 999).getString("state")).isEqualTo("none");
        assertThat(views.mine(session(false), queue(0), 999).getString("state")).isEqualTo("closed");
    }

    @Test
    void hostsSeeEveryoneWithTheirWordsButOnlyWhenTheySaidSome() {
        JsonArray waiting = views.hostView(session(true), queue(0)).getJsonArray("waiting");
        assertThat(waiting).hasSize(2);
        assertThat(waiting.getJsonObject(0).getString("topic")).isEqualTo("ik ben bang");
        assertThat(waiting.getJsonObject(0).getJsonObject("member").getString("pseudonym")).isEqualTo("Roos");
        assertThat(waiting.getJsonObject(1).containsKey("topic")).isFalse();
    }

    @Test
    void theMemberOfATalkSeesTheHostAndTheHostSeesTheMemberAndTheirWords() {
        JsonObject forMember = QueueViews.talk(talk(null), true);
        assertThat(forMember.getString("state")).isEqualTo("running");
        assertThat(forMember.getJsonObject("host").getString("displayName")).isEqualTo("Anna");
        assertThat(forMember.containsKey("member")).isFalse();
        assertThat(forMember.containsKey("topic")).as("a member is not shown their own words as the host sees them").isFalse();

        JsonObject forHost = QueueViews.talk(talk(T0.plusSeconds(600)), false);
        assertThat(forHost.getString("state")).isEqualTo("ended");
        assertThat(forHost.getString("signpost")).isEqualTo("care");
        assertThat(forHost.getJsonObject("member").getString("pseudonym")).isEqualTo("Roos");
        assertThat(forHost.getString("topic")).isEqualTo("ik ben bang");
        assertThat(forHost.containsKey("feedbackGiven")).isFalse();
    }
}
