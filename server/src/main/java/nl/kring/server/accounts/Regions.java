package nl.kring.server.accounts;

import java.util.List;

/**
 * The coarse regions a member may give for local rooms: the twelve Dutch provinces, nothing
 * finer (a town would narrow a young person down too far).
 */
public final class Regions {

    public static final List<String> PROVINCES = List.of("drenthe", "flevoland", "friesland", "gelderland", "groningen",
            "limburg", "noord-brabant", "noord-holland", "overijssel", "utrecht", "zeeland", "zuid-holland");

    private Regions() {
    }

    public static boolean isValid(String region) {
        return PROVINCES.contains(region);
    }
}
