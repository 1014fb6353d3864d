package nl.kring.server.vraagbaak;

import java.util.Locale;
import java.util.Optional;
import nl.kring.server.protocol.WireNamed;

/**
 * Where a VraagBaak question is (protocol section 9): {@code waiting} for the editors,
 * {@code assigned} to a professional or peer expert, {@code answered}, {@code published} (public),
 * or closed without publication: {@code returned} (sent back to the asker) or {@code rejected}.
 */
public enum QuestionStatus implements WireNamed {
    WAITING, ASSIGNED, ANSWERED, PUBLISHED, RETURNED, REJECTED;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the editors still work on it: not published, returned or rejected. */
    public boolean open() {
        return this == WAITING || this == ASSIGNED || this == ANSWERED;
    }

    public static Optional<QuestionStatus> fromWireName(String name) {
        return WireNamed.parse(QuestionStatus.class, name);
    }
}
