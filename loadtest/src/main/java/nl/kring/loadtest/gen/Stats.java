package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One generator process's measurements, written from every shard's event loop. Latencies are in
 * microseconds, measured from each message's intended send time (no coordinated omission).
 */
public final class Stats {

    final LongAdder connectsOk = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final Map<String, LongAdder> connectFailures = new ConcurrentHashMap<>();
    final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    final Map<String, LongAdder> replyErrors = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    final LongAdder resent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder ackedMeasured = new LongAdder();
    final LongAdder deliveredMeasured = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final AtomicInteger held = new AtomicInteger();
    final AtomicInteger peakHeld = new AtomicInteger();
    final Recorder connectLatency = new Recorder(3);
    /** Reconnect storms: sessions dropped on purpose, those back in their room, and how long each took (µs from the drop to the join's reply). */
    final LongAdder stormDropped = new LongAdder();
    final LongAdder stormRejoined = new LongAdder();
    final Recorder stormRejoinLatency = new Recorder(3);
    final Recorder ackLatency = new Recorder(3);
    final Recorder deliveryLatency = new Recorder(3);
    /** Per-second delivery histograms of the measured window, for the latency-over-time plot. */
    final Recorder deliveryPerSecond = new Recorder(3);
    final List<Histogram> seconds = new ArrayList<>();
    /** Highest seq acked per room: after the run every member must have seen up to it. */
    final AtomicLongArray maxAcked;
    /** For big rooms: (room, seq) → the latest delivery of that message in this process. */
    final Map<Long, Long> lastMember = new ConcurrentHashMap<>();

    Stats(int rooms) {
        this.maxAcked = new AtomicLongArray(rooms);
    }

    static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void sessionUp() {
        int now = held.incrementAndGet();
        peakHeld.accumulateAndGet(now, Math::max);
    }

    void acked(int room, long seq) {
        maxAcked.accumulateAndGet(room, seq, Math::max);
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("bad histogram", e);
        }
    }

    static JsonObject counts(Map<String, LongAdder> map) {
        JsonObject out = new JsonObject();
        new TreeMap<>(map).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The process's result; {@code check} is the sum of every session's stream check. */
    JsonObject toJson(long seen, long lost, long duplicated, long disordered, long resets, long tailShort, long unanswered) {
        JsonArray perSecond = new JsonArray();
        seconds.forEach(h -> perSecond.add(encode(h)));
        JsonArray maxAckedArray = new JsonArray();
        for (int i = 0; i < maxAcked.length(); i++) {
            maxAckedArray.add(maxAcked.get(i));
        }
        JsonObject last = new JsonObject();
        lastMember.forEach((k, v) -> last.put(Long.toString(k), v));
        return new JsonObject()
                .put("connectsOk", connectsOk.sum()).put("reconnects", reconnects.sum()).put("peakHeld", peakHeld.get())
                .put("connectFailures", counts(connectFailures)).put("closes", counts(closes))
                .put("replyErrors", counts(replyErrors)).put("sent", sent.sum()).put("resent", resent.sum())
                .put("acked", acked.sum()).put("ackedMeasured", ackedMeasured.sum())
                .put("delivered", delivered.sum()).put("deliveredMeasured", deliveredMeasured.sum())
                .put("unanswered", unanswered)
                .put("seen", seen).put("lost", lost).put("duplicated", duplicated).put("disordered", disordered)
                .put("resets", resets).put("tailShort", tailShort)
                .put("stormDropped", stormDropped.sum()).put("stormRejoined", stormRejoined.sum())
                .put("stormRejoinLatency", encode(stormRejoinLatency.getIntervalHistogram()))
                .put("connectLatency", encode(connectLatency.getIntervalHistogram()))
                .put("ackLatency", encode(ackLatency.getIntervalHistogram()))
                .put("deliveryLatency", encode(deliveryLatency.getIntervalHistogram()))
                .put("perSecond", perSecond).put("maxAcked", maxAckedArray).put("lastMember", last);
    }
}
