package nl.kring.moderation.help;

import java.util.EnumMap;
import java.util.Map;
import nl.kring.moderation.RiskCategory;

/**
 * What Kring says to people, in Dutch at B1 level: short sentences, everyday words, no blame.
 * The author's prompt after a risky message (one per category), the compose-time content-warning
 * suggestion, and the guidance for members who reply to someone who shared something heavy.
 * English texts are the browser client's second catalogue; the server speaks Dutch.
 */
public final class Prompts {

    private static final Map<RiskCategory, String> AUTHOR = new EnumMap<>(RiskCategory.class);

    static {
        AUTHOR.put(RiskCategory.SUICIDAL_IDEATION, "Fijn dat je dit deelt. Je hoeft hier niet alleen mee te blijven. "
                + "Wil je nu met iemand praten? Bel of chat anoniem met 113. Vertel het ook aan iemand die je vertrouwt.");
        AUTHOR.put(RiskCategory.SELF_HARM, "Dank je dat je dit deelt. Schrijf liever niet hoe je het doet, en deel geen foto's: "
                + "dat kan anderen pijn doen. Heb je nu hulp nodig? Hieronder staat wie je kunt bellen of mailen.");
        AUTHOR.put(RiskCategory.THIRD_PARTY_RISK, "Wat goed dat je je zorgen maakt. Vraag het gewoon: 'Denk je aan zelfmoord?' "
                + "Luister, en help de ander om hulp te zoeken. Is er nu gevaar? Bel 112. Ook jij mag 113 bellen voor advies.");
        AUTHOR.put(RiskCategory.METHOD_DETAIL, "Je bericht is nog niet geplaatst. Er staat iets in over hoe iemand zichzelf pijn kan doen. "
                + "Dat kan anderen in gevaar brengen. Een moderator kijkt ernaar. Gaat het niet goed met je? Hieronder vind je hulp.");
        AUTHOR.put(RiskCategory.PII, "Je bericht is nog niet geplaatst. Het lijkt erop dat je contactgegevens deelt, zoals een nummer, "
                + "adres, school of account. Om iedereen veilig te houden kijkt een moderator eerst mee.");
        AUTHOR.put(RiskCategory.HARASSMENT, "Je bericht is nog niet geplaatst. Een moderator kijkt er eerst naar. "
                + "We houden het hier veilig en vriendelijk voor iedereen.");
        AUTHOR.put(RiskCategory.IMMINENT_RISK, "We maken ons zorgen om je. Je bent niet alleen. Bel nu 113 (gratis: 0800-0113) "
                + "of chat via 113.nl. Ben je in direct gevaar? Bel 112. Er kijkt zo iemand van ons met je mee.");
    }

    /** For a held message whose category has no prompt of its own (a message held while no moderator is on duty). */
    public static final String HELD_FOR_REVIEW = "Je bericht is nog niet geplaatst: een moderator kijkt er eerst naar. "
            + "Dat is geen straf. Gaat het niet goed met je? Hieronder vind je hulp.";

    /** Suggestion before sending a heavy message without a content warning. */
    public static final String CONTENT_WARNING = "Je bericht gaat over een zwaar onderwerp. Zet er een waarschuwing bij, "
            + "dan kunnen anderen zelf kiezen of ze het lezen.";

    /** For a member who replies to someone who shared something heavy. */
    public static final String RESPONDER = "Iemand deelt iets zwaars. Vraag gerust direct hoe het gaat en luister. "
            + "Je hoeft het niet op te lossen. Wijs op hulp, zoals 113. Maak je je ernstig zorgen? Meld het aan een moderator.";

    private Prompts() {
    }

    /** The author's prompt for a category, or {@code null} for none. */
    public static String forAuthor(RiskCategory category) {
        return AUTHOR.get(category);
    }
}
