import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * ./kring figures SLUG FROM TO: prints a community's anonymised figures (CSV) from a running
 * server (KRING_URL, default http://127.0.0.1:8080) with an admin's or operator's token
 * (KRING_TOKEN, from POST /api/v1/auth/login). The token is read from the environment, never
 * from the command line, so it stays out of shell history and process lists.
 */
public class FiguresCli {
    public static void main(String[] args) throws Exception {
        String token = System.getenv("KRING_TOKEN");
        if (args.length != 3 || token == null || token.isBlank()) {
            System.err.println("usage: KRING_TOKEN=... ./kring figures SLUG FROM TO   (days like 2026-11-01)");
            System.exit(64);
        }
        String base = System.getenv().getOrDefault("KRING_URL", "http://127.0.0.1:8080");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/communities/" + args[0]
                        + "/figures?from=" + args[1] + "&to=" + args[2]))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.err.println("kring figures: HTTP " + response.statusCode() + " " + response.body());
            System.exit(1);
        }
        System.out.print(response.body());
    }
}
