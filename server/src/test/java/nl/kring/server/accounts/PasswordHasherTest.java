package nl.kring.server.accounts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesWithArgon2idAtOwaspParametersAndVerifies() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void anUnknownAccountOrForeignHashNeverVerifies() {
        assertThat(hasher.verify("anything", null)).isFalse();
        assertThat(hasher.verify("anything", "$2a$10$bcrypt-style")).isFalse();
    }

    @Test
    void aHashWithWeakerParametersThanTodaysNeedsARehashAndStillVerifies() {
        String old = hasher.hash("correct horse battery staple", 4096, 1, 1);
        assertThat(hasher.verify("correct horse battery staple", old)).isTrue();
        assertThat(hasher.needsRehash(old)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("correct horse battery staple"))).isFalse();
        assertThat(hasher.needsRehash("$2a$10$bcrypt-style")).isTrue();
        assertThat(hasher.needsRehash("$argon2id$v=19$m=x,t=2,p=1$salt$hash")).isTrue();
    }
}
