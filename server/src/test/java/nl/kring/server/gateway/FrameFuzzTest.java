package nl.kring.server.gateway;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the socket's frame decoding and every request type's field checks ({@link FrameAssembler},
 * {@link Requests}): whatever a client sends, the result is a typed request whose fields keep the
 * limits of protocol section 3 (with exactly the values sent), or a {@code bad_request}; never
 * another exception. In {@code mvn test} each target runs its stored inputs (regression mode, under
 * src/test/resources/.../FrameFuzzTestInputs); {@code JAZZER_FUZZ=1} fuzzes for real (command and
 * figures in docs/safety.md, "Fuzzing").
 */
@Tag("fuzz")
class FrameFuzzTest {

    static final String[] TYPES = {"join", "leave", "send", "history", "check", "report", "typing", "nope"};
    static final String[] FIELDS = {"room", "since", "clientMsgId", "body", "cw", "beforeSeq", "limit", "replyTo",
        "seq", "category", "reason", "epoch"};

    /**
     * Arbitrary bytes as the frames of one message, as the socket's reader would pass them on (the
     * dictionary helps the fuzzer towards JSON frames).
     */
    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"{\"type\":\"", "\"id\":\"", "\"room\":\"", "join", "leave", "send", "history", "check", "report",
        "typing", "\"since\":{\"epoch\":", "\"seq\":", "\"body\":\"", "\"clientMsgId\":\"", "\"beforeSeq\":",
        "\"limit\":", "\"replyTo\":", "\"category\":\"", "\"reason\":\"", "\"cw\":true", "}", "\",", "1e400", "-0.5"})
    void decodesAnyFrame(FuzzedDataProvider data) {
        FrameAssembler assembler = new FrameAssembler(data.consumeInt(1, 4096));
        int frames = data.consumeInt(1, 4);
        for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
            boolean last = i == frames - 1 || data.remainingBytes() <= 1;
            FrameAssembler.Result r = assembler.accept(i == 0, data.consumeBoolean(), last,
                    data.consumeBytes(data.consumeInt(0, 2048)));
            if (r instanceof FrameAssembler.Text t) {
                handle(t.text());
            }
        }
        handle(data.consumeRemainingAsString());
    }

    /** Mostly valid requests of every type, with fuzzed fields, types, lengths and numbers. */
    @FuzzTest(maxDuration = "5s")
    void checksEveryRequest(FuzzedDataProvider data) {
        JsonObject frame = new JsonObject();
        String type = data.pickValue(TYPES);
        if (data.consumeProbabilityFloat() < 0.95f) {
            frame.put("type", type);
        }
        if (data.consumeProbabilityFloat() < 0.9f) {
            frame.put("id", data.consumeBoolean() ? "r" + data.consumeInt(0, 999) : value(data, 0));
        }
        int fields = data.consumeInt(0, 6);
        for (int i = 0; i < fields; i++) {
            String field = data.pickValue(FIELDS);
            frame.put(field, field.equals("since") && data.consumeBoolean()
                    ? new JsonObject().put("epoch", value(data, 1)).put("seq", value(data, 1)) : value(data, 0));
        }
        // what a client sends is text: the frame goes through the encoder and the decoder, as on the wire
        handle(frame.encode());
    }

    /** A JSON value for a field: mostly plausible, sometimes of the wrong type, long, or a number out of range. */
    static Object value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, 12)) {
            case 0:
                return null;
            case 1:
                return data.consumeBoolean();
            case 2:
                return data.consumeInt();
            case 3:
                return data.consumeLong();
            case 4:
                return data.consumeLong(-2, 200);
            case 5:
                return data.consumeDouble();
            case 6:
                // around 2^63 and 2^64: what a long cannot hold
                return BigInteger.TWO.pow(data.consumeInt(62, 66)).add(BigInteger.valueOf(data.consumeLong(-3, 200)))
                        .multiply(BigInteger.valueOf(data.consumeBoolean() ? 1 : -1));
            case 7:
                return data.consumeLong(1, 100) + data.consumeProbabilityDouble() * data.consumeInt(0, 1);
            case 8:
                return depth > 2 ? "x" : new JsonObject().put(data.pickValue(FIELDS), value(data, depth + 1));
            case 9:
                return depth > 2 ? "x" : new JsonArray().add(value(data, depth + 1));
            case 10:
                return data.pickValue(new String[] {"unsafe", "bullying", "privacy", "spam", "other", "1", "0", " ", ""});
            case 11:
                return "x".repeat(data.consumeInt(0, 4100));
            default:
                return data.consumeString(data.consumeInt(0, 80));
        }
    }

    /** One text message through the decoder and the request's checks, with the invariants of each outcome. */
    static void handle(String text) {
        JsonObject frame = Requests.parse(text);
        if (frame == null) {
            return;
        }
        Requests.Decoded decoded = Requests.decode(frame);
        if (decoded instanceof Requests.Violation v) {
            assertThat(v.message()).isNotBlank();
            assertThat(v.id() == null || (v.id().length() >= 1 && v.id().length() <= 64)).isTrue();
            return;
        }
        if (decoded instanceof Requests.Typing t) {
            assertThat(t.room()).isEqualTo(frame.getValue("room"));
            return;
        }
        Requests.Request r = (Requests.Request) decoded;
        assertThat(Requests.TYPES).contains(r.type());
        assertThat(r.id()).isEqualTo(frame.getValue("id"));
        assertThat(r.id().length()).isBetween(1, 64);
        try {
            check(r.type(), frame);
        } catch (KringException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void check(String type, JsonObject frame) {
        switch (type) {
            case "join" -> {
                Requests.Join j = Requests.join(frame);
                room(j.room(), frame);
                if (frame.getValue("since") == null) {
                    assertThat(j.sinceEpoch()).isNull();
                } else {
                    JsonObject since = frame.getJsonObject("since");
                    exact(since.getValue("epoch"), j.sinceEpoch());
                    exact(since.getValue("seq"), j.sinceSeq());
                }
            }
            case "leave" -> room(Requests.leave(frame).room(), frame);
            case "send" -> {
                Requests.Send s = Requests.send(frame);
                room(s.room(), frame);
                assertThat(s.clientMsgId()).isEqualTo(frame.getValue("clientMsgId"));
                assertThat(s.clientMsgId().length()).isBetween(1, 64);
                assertThat(s.body()).isEqualTo(frame.getValue("body")).isNotBlank();
                assertThat(s.body().codePointCount(0, s.body().length())).isLessThanOrEqualTo(4000);
                assertThat(s.cw()).isEqualTo(Boolean.TRUE.equals(frame.getValue("cw")));
            }
            case "history" -> {
                Requests.History h = Requests.history(frame);
                room(h.room(), frame);
                if (h.beforeSeq() != null) {
                    assertThat(h.beforeSeq()).isGreaterThanOrEqualTo(1);
                }
                exact(frame.getValue("beforeSeq"), h.beforeSeq());
                assertThat(h.limit()).isBetween(1, 100);
                if (frame.getValue("limit") != null) {
                    exact(frame.getValue("limit"), h.limit());
                }
            }
            case "check" -> {
                Requests.Check c = Requests.check(frame);
                assertThat(c.body()).isEqualTo(frame.getValue("body"));
                assertThat(c.body().codePointCount(0, c.body().length())).isLessThanOrEqualTo(4000);
                if (c.room() == null) {
                    assertThat(frame.getValue("room")).isNull();
                    assertThat(c.replyTo()).isNull();
                } else {
                    room(c.room(), frame);
                }
                if (c.replyTo() != null) {
                    assertThat(c.replyTo()).isGreaterThanOrEqualTo(1);
                }
                exact(frame.getValue("replyTo"), c.replyTo());
            }
            case "report" -> {
                Requests.Report rep = Requests.report(frame);
                room(rep.room(), frame);
                assertThat(rep.seq()).isGreaterThanOrEqualTo(1);
                exact(frame.getValue("seq"), rep.seq());
                assertThat(Requests.REPORT_CATEGORIES).contains(rep.category());
                assertThat(rep.reason() == null || rep.reason().length() <= 500).isTrue();
                assertThat(rep.reason()).isEqualTo(frame.getValue("reason"));
            }
            default -> fail("a request of an unknown type was accepted: " + type);
        }
    }

    private static void room(String room, JsonObject frame) {
        assertThat(room).isEqualTo(frame.getValue("room"));
        assertThat(room.length()).isBetween(1, 64);
    }

    /** An accepted number is the number the client sent, not a rounded or wrapped one. */
    private static void exact(Object sent, Number accepted) {
        if (sent == null || accepted == null) {
            assertThat(accepted).isNull();
            return;
        }
        assertThat(sent).isInstanceOf(Number.class);
        double d = ((Number) sent).doubleValue();
        assertThat(Double.isFinite(d)).as("accepted %s as %s", sent, accepted).isTrue();
        assertThat(new BigDecimal(sent.toString()).compareTo(new BigDecimal(accepted.toString())))
                .as("accepted %s as %s", sent, accepted).isZero();
    }
}
