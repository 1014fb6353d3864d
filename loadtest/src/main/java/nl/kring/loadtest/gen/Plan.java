package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one generator process is told by the coordinator: the scenario, where the server is (one port, or a cluster's),
 * the rooms' ids, the accounts' tokens (none for the bare relay), and which process it is.
 */
record Plan(Scenario scenario, Layout layout, int process, int shards, String host, List<Integer> ports, List<String> roomIds,
            Path tokensFile, String runTag) {

    /** The port session {@code index} uses: the nodes of a cluster in turn, so that every room has members on each. */
    int port(int index) {
        return ports.get(Math.floorMod(index, ports.size()));
    }

    int totalShards() {
        return shards * scenario.processCount();
    }

    String roomId(int room) {
        return roomIds.get(room);
    }

    JsonObject toJson() {
        return new JsonObject().put("scenario", scenario.toJson()).put("process", process).put("shards", shards)
                .put("host", host).put("ports", new JsonArray(ports)).put("rooms", new JsonArray(roomIds))
                .put("tokens", tokensFile == null ? null : tokensFile.toString()).put("runTag", runTag);
    }

    static Plan read(Path file) throws IOException {
        JsonObject json = new JsonObject(Files.readString(file));
        Scenario scenario = Scenario.from(json.getJsonObject("scenario"));
        String tokens = json.getString("tokens");
        return new Plan(scenario, new Layout(scenario), json.getInteger("process"), json.getInteger("shards"),
                json.getString("host"), json.getJsonArray("ports").stream().map(o -> ((Number) o).intValue()).toList(),
                json.getJsonArray("rooms").stream().map(Object::toString).toList(),
                tokens == null ? null : Path.of(tokens), json.getString("runTag"));
    }
}
