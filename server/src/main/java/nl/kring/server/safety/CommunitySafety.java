package nl.kring.server.safety;

import nl.kring.moderation.Policy;
import nl.kring.moderation.chatsafe.Classifier;
import nl.kring.moderation.help.HelpDirectory;

/** One community's #chatsafe set-up: its classifier (built-in rules plus its own), policy and help directory. Immutable. */
public record CommunitySafety(Classifier classifier, Policy policy, HelpDirectory help) {
}
