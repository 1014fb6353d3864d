package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * Sets Kring up for a scenario through its public HTTP API only: a community, its rooms, invite
 * codes and one member account per {@code sessionsPerAccount} sessions. Sign-ups are the slow
 * part (one transaction each), so they run {@value #CONCURRENCY} at a time over keep-alive
 * connections; invite codes are multi-use (100 each) so that a few calls make codes for
 * hundreds of thousands of accounts; consecutive sign-ups use different codes, so that the
 * concurrent ones never queue on one code's row lock.
 */
final class Provisioner {

    static final int CONCURRENCY = 32;
    private static final int USES_PER_CODE = 100;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private String admin;

    Provisioner(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    /** What was made: room ids in layout order and one token per account. */
    record Provisioned(List<String> roomIds, List<String> tokens, double signUpsPerSecond) {
    }

    Provisioned provision(Scenario scenario, Layout layout, String slug) throws Exception {
        admin = post("/api/v1/auth/login", null, new JsonObject().put("email", nl.kring.loadtest.ServerProcess.ADMIN_EMAIL)
                .put("password", nl.kring.loadtest.ServerProcess.ADMIN_PASSWORD)).getString("token");
        post("/api/v1/admin/communities", admin, new JsonObject().put("slug", slug).put("name", "Load " + slug));
        List<String> roomIds = all(scenario.rooms(), r -> postAsync("/api/v1/admin/communities/" + slug + "/rooms", admin,
                new JsonObject().put("name", "room-" + r).put("kind", "community")
                        .put("capacity", Math.min(100_000, Math.max(2, layout.membersOf(r) * 2 + 10))))
                .thenApply(j -> j.getString("id")));
        int accounts = scenario.accounts();
        int codesNeeded = (accounts + USES_PER_CODE - 1) / USES_PER_CODE;
        List<String> codes = new ArrayList<>();
        while (codes.size() < codesNeeded) {
            JsonArray batch = post("/api/v1/admin/communities/" + slug + "/invites", admin, new JsonObject()
                    .put("count", Math.min(1000, codesNeeded - codes.size())).put("uses", USES_PER_CODE).put("expiresInDays", 30))
                    .getJsonArray("codes");
            batch.forEach(c -> codes.add((String) c));
        }
        long t0 = System.nanoTime();
        List<String> tokens = all(accounts, a -> postAsync("/api/v1/auth/anonymous", null, new JsonObject().put("community", slug)
                .put("inviteCode", codes.get(a % codes.size())).put("pseudonym", pseudonym(a)).put("ageBand", "18-21"))
                .thenApply(j -> j.getString("token")));
        double rate = accounts / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        return new Provisioned(roomIds, tokens, rate);
    }

    /** "lid-" and the number in letters: a pseudonym passes the server's rules (no long digit runs that look like a phone number). */
    static String pseudonym(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return "lid-" + s;
    }

    /** Runs {@code n} calls, {@value #CONCURRENCY} at a time, and returns their results in order. */
    private <T> List<T> all(int n, IntFunction<CompletableFuture<T>> call) throws Exception {
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<CompletableFuture<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            slots.acquire();
            futures.add(call.apply(i).whenComplete((r, t) -> slots.release()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        List<T> out = new ArrayList<>(n);
        for (CompletableFuture<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private JsonObject post(String path, String token, JsonObject body) throws Exception {
        return postAsync(path, token, body).get();
    }

    private CompletableFuture<JsonObject> postAsync(String path, String token, JsonObject body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return new JsonObject(r.body());
        });
    }
}
