package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.protocol.OutFrame;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomMember;

/**
 * One socket's place in one room, and the seam between a resume's backlog and live traffic.
 * Live messages that arrive while the backlog is being read are held back; then the backlog,
 * {@code resumed}, and the held messages are sent with everything at or below the last sent seq
 * dropped, so nothing is lost or repeated. Confined to the socket's event loop.
 */
public final class Subscription implements RoomMember {

    private final Room room;
    private final ClientConnection connection;
    private final long userId;
    private final boolean takesAPlace;
    private final int maxHeld;
    /** Checks again whether the socket may stay in the room (its settings changed); on the socket's loop. */
    private final Consumer<Subscription> recheck;
    private long lastSentSeq;
    private boolean catchingUp;
    private boolean overflowed;
    private final List<Held> held = new ArrayList<>();
    private final List<OutFrame> heldRedactions = new ArrayList<>();

    private record Held(long seq, OutFrame frame) {
    }

    /**
     * A new subscription starts by holding live messages back: register it in the room first,
     * then read the room's lastSeq and call {@link #goLive}, {@link #beginResume} or {@link #reset}.
     *
     * @param maxHeld live messages held back during a catch-up before giving up with reset
     */
    public Subscription(Room room, ClientConnection connection, long userId, int maxHeld) {
        this(room, connection, userId, true, maxHeld);
    }

    /** @param takesAPlace whether the user counts against the room's capacity (members do, staff do not) */
    public Subscription(Room room, ClientConnection connection, long userId, boolean takesAPlace, int maxHeld) {
        this(room, connection, userId, takesAPlace, maxHeld, sub -> { });
    }

    /** @param recheck called on the socket's loop when the room's settings changed: whether the socket may stay (see {@link Joins}) */
    public Subscription(Room room, ClientConnection connection, long userId, boolean takesAPlace, int maxHeld,
                        Consumer<Subscription> recheck) {
        this.recheck = recheck;
        this.takesAPlace = takesAPlace;
        this.room = room;
        this.connection = connection;
        this.userId = userId;
        this.maxHeld = maxHeld;
        this.catchingUp = true;
    }

    /** A fresh join: the client has everything up to {@code lastSeq} (it reads older messages with history). */
    public void goLive(long lastSeq) {
        lastSentSeq = lastSeq;
        release();
    }

    /** A resume: the client has everything up to {@code sinceSeq}; live messages stay held until {@link #finishCatchUp}. */
    public void beginResume(long sinceSeq) {
        lastSentSeq = sinceSeq;
    }

    public Room room() {
        return room;
    }

    @Override
    public long userId() {
        return userId;
    }

    @Override
    public boolean takesAPlace() {
        return takesAPlace;
    }

    @Override
    public void settingsChanged() {
        recheck.accept(this);
    }

    public long lastSentSeq() {
        return lastSentSeq;
    }

    @Override
    public void deliver(long seq, OutFrame frame) {
        if (catchingUp) {
            if (held.size() >= maxHeld) {
                overflowed = true;
                held.clear();
            } else if (!overflowed) {
                held.add(new Held(seq, frame));
            }
            return;
        }
        if (seq <= lastSentSeq) {
            return;
        }
        if (seq > lastSentSeq + 1) {
            // Never a silent gap: should not happen (broadcasts are ordered and gap-repaired), but if it does the client reloads.
            reset();
            return;
        }
        connection.send(frame);
        lastSentSeq = seq;
    }

    /**
     * A redaction: sent at once when live (the message it redacts was delivered before, since
     * both travel through this loop in order); during a catch-up held until the backlog is out.
     */
    @Override
    public void redacted(long seq, OutFrame frame) {
        if (catchingUp) {
            if (heldRedactions.size() < maxHeld) {
                heldRedactions.add(frame);
            } else {
                overflowed = true;
            }
            return;
        }
        connection.send(frame);
    }

    @Override
    public void event(OutFrame frame) {
        if (!catchingUp) {
            connection.send(frame);
        }
    }

    /**
     * Ends a resume: sends the backlog (ascending, everything after the client's seq up to
     * what the room had when it was read), then {@code resumed}, then the held live messages.
     * If too much arrived meanwhile, or the backlog does not reach {@code upToSeq}, sends
     * {@code reset} instead. {@code earlierRedactions} are {@code redacted} events for messages
     * the client already had (at or below its seq) that were redacted since; they go out right
     * after the backlog.
     */
    public void finishCatchUp(List<StoredMessage> backlog, long upToSeq, List<String> earlierRedactions) {
        if (overflowed) {
            reset();
            return;
        }
        List<String> frames = new ArrayList<>(backlog.size());
        long next = lastSentSeq;
        for (StoredMessage m : backlog) {
            if (m.seq() == next + 1) {
                frames.add(m.toJson().encode());
                next = m.seq();
            }
        }
        if (next < upToSeq) {
            reset();
            return;
        }
        for (String frame : frames) {
            connection.send(frame);
        }
        for (String frame : earlierRedactions) {
            connection.send(frame);
        }
        lastSentSeq = next;
        connection.send(new JsonObject().put("type", "resumed").put("room", room.wireId()).put("lastSeq", lastSentSeq).encode());
        release();
    }

    private void release() {
        catchingUp = false;
        List<Held> pending = new ArrayList<>(held);
        held.clear();
        for (Held h : pending) {
            deliver(h.seq, h.frame);
        }
        List<OutFrame> redactions = new ArrayList<>(heldRedactions);
        heldRedactions.clear();
        for (OutFrame frame : redactions) {
            connection.send(frame);
        }
    }

    /** Gives up on an exact resume: tells the client to reload, then continues live from the room's lastSeq. */
    public void reset() {
        long lastSeq = room.lastSeq();
        for (Held h : held) {
            lastSeq = Math.max(lastSeq, h.seq);
        }
        held.clear();
        heldRedactions.clear();
        catchingUp = false;
        overflowed = false;
        lastSentSeq = lastSeq;
        connection.send(new JsonObject().put("type", "reset").put("room", room.wireId())
                .put("epoch", room.epoch()).put("lastSeq", lastSeq).encode());
    }
}
