package nl.kring.server.accounts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PseudonymsTest {

    @Test
    void acceptsTheProtocolsCharacters() {
        assertThat(Pseudonyms.problem("Zonnebloem")).isEmpty();
        assertThat(Pseudonyms.problem("bo_2009")).isEmpty();
        assertThat(Pseudonyms.problem("a-b")).isEmpty();
        assertThat(Pseudonyms.problem("x".repeat(24))).isEmpty();
    }

    @Test
    void rejectsWrongLengthAndCharacters() {
        assertThat(Pseudonyms.problem(null)).isPresent();
        assertThat(Pseudonyms.problem("ab")).isPresent();
        assertThat(Pseudonyms.problem("x".repeat(25))).isPresent();
        assertThat(Pseudonyms.problem("met spatie")).isPresent();
        assertThat(Pseudonyms.problem("anna@mail.nl")).isPresent();
        assertThat(Pseudonyms.problem("zoë")).isPresent();
    }

    @Test
    void rejectsWhatLooksLikeContactDetails() {
        assertThat(Pseudonyms.problem("0612345678")).hasValue("pseudonym must not look like a phone number");
        assertThat(Pseudonyms.problem("bel_06-12345678")).hasValue("pseudonym must not look like a phone number");
        assertThat(Pseudonyms.problem("jan_gmail_com")).hasValue("pseudonym must not look like an e-mail address");
        assertThat(Pseudonyms.problem("jan-at-ziggo-nl")).hasValue("pseudonym must not look like an e-mail address");
        assertThat(Pseudonyms.problem("020_1234567")).hasValue("pseudonym must not look like a phone number");
        assertThat(Pseudonyms.problem("klas2b")).isEmpty();
        assertThat(Pseudonyms.problem("user_1732459999")).as("a counter, not a phone number").isEmpty();
        assertThat(Pseudonyms.problem("lid_2009")).isEmpty();
    }
}
