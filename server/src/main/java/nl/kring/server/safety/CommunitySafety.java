package nl.kring.server.safety;

import nl.kring.moderation.Policy;
import nl.kring.moderation.chatsafe.Classifier;
import nl.kring.moderation.help.HelpDirectory;
import nl.kring.moderation.queue.Fallback;

/**
 * One community's #chatsafe set-up: its classifier (built-in rules plus its own), policy, help
 * directory, and what its rooms do while no moderator is on duty. Immutable.
 */
public record CommunitySafety(Classifier classifier, Policy policy, HelpDirectory help, Fallback fallback) {
}
