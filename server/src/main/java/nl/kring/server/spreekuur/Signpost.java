package nl.kring.server.spreekuur;

import nl.kring.server.protocol.WireNamed;

/** Where a host points a member at the end of a one-to-one talk, with the words the member reads (Dutch, B1). */
public enum Signpost implements WireNamed {
    GROUP("group", "Het gesprek is afgelopen. Je bent welkom om verder te praten in de groep van het spreekuur."),
    RESOURCES("resources", "Het gesprek is afgelopen. Hieronder staat hulp die nu open is. Je kunt daar altijd terecht."),
    CARE("care", "Het gesprek is afgelopen. Praat ook eens met je huisarts of je behandelaar: zij kunnen je verder helpen."),
    NONE("none", "Het gesprek is afgelopen. Hieronder staat hulp die nu open is.");

    private final String wireName;
    private final String text;

    Signpost(String wireName, String text) {
        this.wireName = wireName;
        this.text = text;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public String text() {
        return text;
    }

    static Signpost of(String wireName) {
        return WireNamed.parse(Signpost.class, wireName).orElse(RESOURCES);
    }
}
