package nl.kring.loadtest.gen;

/**
 * What one session has seen of its room's seqs: each message must carry the next seq, exactly
 * once, in order, across reconnects and resumes. Plain state, confined to the session's loop.
 */
public final class StreamCheck {

    /** Seq of the last message seen, or -1 before the first join reply. */
    private long last = -1;
    private int epoch = -1;
    long seen;
    long lost;
    long duplicated;
    long disordered;
    long resets;

    /** A join reply: the first sets where the stream starts; later ones (resumes) must not move it. */
    public void joined(int epoch, long lastSeq) {
        if (last < 0 || epoch != this.epoch) {
            this.epoch = epoch;
            last = lastSeq;
        }
    }

    /** A message event. */
    public void message(long seq) {
        seen++;
        if (last < 0) {
            last = seq;
            return;
        }
        if (seq == last + 1) {
            last = seq;
        } else if (seq > last + 1) {
            lost += seq - last - 1;
            last = seq;
        } else if (seq == last) {
            duplicated++;
        } else {
            disordered++;
        }
    }

    /** A {@code reset}: the server could not resume; the stream restarts at {@code lastSeq}. */
    public void reset(int epoch, long lastSeq) {
        resets++;
        this.epoch = epoch;
        last = lastSeq;
    }

    /** Whether the first join has been answered (resume is possible). */
    public boolean started() {
        return last >= 0;
    }

    public long last() {
        return last;
    }

    public int epoch() {
        return epoch;
    }

    public long seen() {
        return seen;
    }

    public long lost() {
        return lost;
    }

    public long duplicated() {
        return duplicated;
    }

    public long disordered() {
        return disordered;
    }
}
