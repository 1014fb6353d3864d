package nl.kring.server.gateway;

/** What a {@code join} does about the client's {@code since}. Pure. */
public enum ResumePlan {
    /** No {@code since}: live from the room's lastSeq. */
    LIVE,
    /** Replay every message after {@code since.seq}, then {@code resumed}. */
    REPLAY,
    /** Cannot be exact: send {@code reset}, the client reloads with history. */
    RESET;

    /**
     * @param sinceEpoch      the client's epoch, or {@code null} when no {@code since} was given
     * @param sinceSeq        the last seq the client has
     * @param epoch           the room's epoch
     * @param lastSeq         the room's newest seq
     * @param retainedFromSeq the oldest seq still stored
     * @param resumeMax       the largest gap replayed
     */
    public static ResumePlan decide(Integer sinceEpoch, long sinceSeq, int epoch, long lastSeq, long retainedFromSeq, int resumeMax) {
        if (sinceEpoch == null) {
            return LIVE;
        }
        if (sinceEpoch != epoch || sinceSeq < 0 || sinceSeq > lastSeq) {
            return RESET;
        }
        if (sinceSeq + 1 < retainedFromSeq || lastSeq - sinceSeq > resumeMax) {
            return RESET;
        }
        return REPLAY;
    }
}
