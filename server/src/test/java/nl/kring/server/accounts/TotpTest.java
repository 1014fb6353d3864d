package nl.kring.server.accounts;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {

    /** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32. */
    static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @Test
    void codesMatchTheRfc6238TestVectors() {
        // The RFC gives 8 digits; an authenticator app shows the last 6 of the same truncation.
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
        assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(20000000000L)))).isEqualTo("353130");
    }

    @Test
    void oneStepOfClockDriftEitherWayIsAcceptedAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_700_000_000);
        long step = Totp.step(now);
        assertThat(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), null, now)).hasValue(step - 1);
        assertThat(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step), null, now)).hasValue(step);
        assertThat(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), null, now)).hasValue(step + 1);
        assertThat(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), null, now)).isEmpty();
        assertThat(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), null, now)).isEmpty();
    }

    @Test
    void aCodeIsNeverAcceptedTwice() {
        Instant now = Instant.ofEpochSecond(1_700_000_000);
        long step = Totp.step(now);
        String code = Totp.code(RFC_SECRET, step);
        assertThat(Totp.verify(RFC_SECRET, code, step, now)).isEmpty();
        assertThat(Totp.verify(RFC_SECRET, code, step - 1, now)).hasValue(step);
    }

    @Test
    void malformedCodesAreRefused() {
        Instant now = Instant.now();
        assertThat(Totp.verify(RFC_SECRET, "12345", null, now)).isEmpty();
        assertThat(Totp.verify(RFC_SECRET, "abcdef", null, now)).isEmpty();
        assertThat(Totp.verify(RFC_SECRET, null, null, now)).isEmpty();
        assertThat(Totp.verify(null, "123456", null, now)).isEmpty();
    }

    @Test
    void newSecretsAre160BitsAndWorkInAnOtpauthUri() {
        String secret = Totp.newSecret();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(Totp.uri(secret, "Sanne (GGZ)", "Kring"))
                .startsWith("otpauth://totp/Kring:Sanne%20%28GGZ%29?secret=" + secret)
                .contains("&digits=6&period=30");
    }
}
