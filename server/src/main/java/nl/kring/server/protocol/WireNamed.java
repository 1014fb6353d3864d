package nl.kring.server.protocol;

import java.util.Optional;

/** An enum whose constants travel on the wire (and in the database) by a fixed name. */
public interface WireNamed {

    String wireName();

    /** The constant of {@code type} with this wire name, if any. */
    static <E extends Enum<E> & WireNamed> Optional<E> parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
