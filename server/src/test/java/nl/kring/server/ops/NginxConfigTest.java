package nl.kring.server.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reverse proxy configuration in {@code ops/nginx/kring.conf} passes {@code nginx -t} (Debian's
 * nginx, installed by {@code ./kring test}), with a throw-away self-signed certificate in place of
 * the real one and the pid and error log moved into a temporary folder.
 */
class NginxConfigTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theTlsReverseProxyConfigurationPassesNginxT(@TempDir Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("privkey.pem").toString(),
                "-out", dir.resolve("fullchain.pem").toString(), "-days", "2", "-subj", "/CN=kring.example");
        String config = Files.readString(ROOT.resolve("ops/nginx/kring.conf"))
                .replace("/etc/kring/tls/", dir + "/")
                .replace("/run/nginx-kring.pid", dir.resolve("nginx.pid").toString())
                .replace("/var/log/nginx/kring-error.log", dir.resolve("error.log").toString());
        Path conf = dir.resolve("kring.conf");
        Files.writeString(conf, config);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        String out = run(dir, nginx, "-t", "-c", conf.toString(), "-p", dir + "/");
        assertThat(out).contains("syntax is ok").contains("test is successful");
        // what the privacy rule and the WebSocket need are in the file itself
        String original = Files.readString(ROOT.resolve("ops/nginx/kring.conf"));
        // the client's address goes to Kring only as X-Forwarded-For for the sign-in limits (memory only), replacing what the
        // client sent (never appended to it), and into no log
        assertThat(original).contains("access_log off;").doesNotContain("log_format").doesNotContain("$proxy_add_x_forwarded_for")
                .contains("proxy_set_header X-Forwarded-For $remote_addr;")
                .contains("proxy_set_header Upgrade $http_upgrade;").contains("proxy_read_timeout 120s;")
                // a cluster: fewest sockets first, no stickiness, a dead or draining node passed over
                .contains("least_conn;").contains("proxy_next_upstream error timeout http_503;")
                .doesNotContain("ip_hash").doesNotContain("sticky");
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
