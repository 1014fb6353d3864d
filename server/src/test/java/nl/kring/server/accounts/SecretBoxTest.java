package nl.kring.server.accounts;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    private static final String SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @Test
    void aSealedSecretOpensOnlyForItsUserWithItsKey() {
        SecretBox box = new SecretBox(new byte[32]);
        String sealed = box.seal(7, SECRET);
        assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain(SECRET);
        assertThat(box.seal(7, SECRET)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(7, sealed)).isEqualTo(SECRET);
        assertThatThrownBy(() -> box.open(8, sealed)).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new SecretBox(other).open(7, sealed)).hasMessageContaining("KRING_SECRET_KEY");
    }

    @Test
    void aSecretStoredBeforeEncryptionIsReadAsItIs() {
        SecretBox box = new SecretBox(new byte[32]);
        assertThat(SecretBox.isSealed(SECRET)).isFalse();
        assertThat(box.open(7, SECRET)).isEqualTo(SECRET);
        assertThat(box.open(7, null)).isNull();
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOnceAndKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve(SecretBox.KEY_FILE);
        byte[] first = SecretBox.keyFile(file);
        assertThat(first).hasSize(32);
        assertThat(SecretBox.keyFile(file)).isEqualTo(first);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(SecretBox.KEY_FILE);
        }
    }
}
