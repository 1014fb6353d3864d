package nl.kring.moderation.help;

/**
 * A place to get help: a helpline, a chat, a website. Immutable.
 *
 * @param id     a stable id ({@code 113}, {@code 112}, or the database id of an admin's entry)
 * @param phone  to call, or {@code null}
 * @param url    to chat or read, or {@code null}
 * @param crisis part of the crisis card (acute danger, suicide prevention)
 */
public record HelpResource(String id, String name, String description, String phone, String url, OpeningHours hours,
                           boolean crisis) {
}
