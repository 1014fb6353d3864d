package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The numbers of a request are taken exactly or refused. Found by FrameFuzzTest (issue 26 item 11):
 * before the fix {@code since.epoch} 51.5 was taken as 51, an epoch of 2^32 + 1 as 1, and a
 * {@code seq}, {@code beforeSeq} or {@code limit} of 2^64 + 5 as 5 (a report on message 5, a
 * resume from seq 5); these tests failed on that code.
 */
class RequestsTest {

    static final String TWO_64_PLUS_5 = "18446744073709551621";

    static JsonObject frame(String json) {
        return Requests.parse(json);
    }

    static void badRequest(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(KringException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void sinceIsTakenExactlyOrRefused() {
        Requests.Join ok = Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":2,\"seq\":7.0}}"));
        assertThat(ok.sinceEpoch()).isEqualTo(2);
        assertThat(ok.sinceSeq()).isEqualTo(7);
        badRequest(() -> Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":51.5,\"seq\":3}}")));
        badRequest(() -> Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":1,\"seq\":3.25}}")));
        badRequest(() -> Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":4294967297,\"seq\":3}}")));
        badRequest(() -> Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":1,\"seq\":" + TWO_64_PLUS_5 + "}}")));
        badRequest(() -> Requests.join(frame("{\"room\":\"1\",\"since\":{\"epoch\":1,\"seq\":1e300}}")));
    }

    @Test
    void seqBeforeSeqAndLimitBeyondALongAreRefused() {
        badRequest(() -> Requests.report(frame("{\"room\":\"1\",\"seq\":" + TWO_64_PLUS_5 + ",\"category\":\"spam\"}")));
        badRequest(() -> Requests.history(frame("{\"room\":\"1\",\"beforeSeq\":" + TWO_64_PLUS_5 + "}")));
        badRequest(() -> Requests.history(frame("{\"room\":\"1\",\"limit\":" + TWO_64_PLUS_5 + "}")));
        badRequest(() -> Requests.check(frame("{\"room\":\"1\",\"body\":\"x\",\"replyTo\":" + TWO_64_PLUS_5 + "}")));
        assertThat(Requests.report(frame("{\"room\":\"1\",\"seq\":9007199254740993,\"category\":\"spam\"}")).seq())
                .isEqualTo(9007199254740993L);
        assertThat(Requests.history(frame("{\"room\":\"1\",\"limit\":100.0}")).limit()).isEqualTo(100);
    }
}
