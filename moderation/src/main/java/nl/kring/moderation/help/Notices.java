package nl.kring.moderation.help;

import java.util.Locale;

/**
 * What a member is told when a moderator acts on their message or account, in Dutch at B1
 * level: what happened, that it is not a punishment where it is not, and where to get help.
 * The server sends each with the help that is open now. The {@code QUESTION_*} notices tell an asker
 * what happened to their VraagBaak question.
 */
public enum Notices {
    HELD_RELEASED("Je bericht is bekeken en staat nu in de groep. Dank je voor je geduld."),
    HELD_REMOVED("Je bericht is bekeken en wordt niet geplaatst. Dat is geen straf: we letten hier goed op elkaar. "
            + "Zit je ergens mee? Hieronder staat waar je nu terecht kunt."),
    REMOVED("Een moderator heeft een bericht van je weggehaald. Het paste niet bij de huisregels of kon anderen raken. "
            + "Gaat het niet goed met je? Hieronder vind je hulp."),
    HIDDEN("Een bericht van je is verborgen tot een moderator het heeft bekeken. Anderen maakten zich er zorgen over."),
    WARNING("Een moderator vraagt je om op de huisregels te letten. Zo blijft het hier veilig voor iedereen."),
    MUTED("Je kunt een tijdje geen berichten sturen. Meelezen kan wel. Heb je nu hulp nodig? Hieronder staat wie je kunt bellen."),
    /** VraagBaak: the asker's question has an answer; the editors look at it before it is published. */
    QUESTION_ANSWERED("Je vraag is beantwoord. De redactie kijkt er nog naar voordat vraag en antwoord online komen."),
    QUESTION_PUBLISHED("Je vraag en het antwoord staan nu in de VraagBaak. Dank je wel voor je vraag."),
    QUESTION_RETURNED("De redactie heeft je vraag teruggestuurd. Bij je vragen lees je waarom. Je mag hem opnieuw stellen."),
    QUESTION_REJECTED("De redactie plaatst je vraag niet in de VraagBaak. Bij je vragen lees je waarom. "
            + "Zit je ergens mee? Hieronder staat waar je nu terecht kunt.");

    private final String text;

    Notices(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
