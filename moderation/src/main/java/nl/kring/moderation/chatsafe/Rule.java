package nl.kring.moderation.chatsafe;

import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * One compiled rule: a sequence of concepts with the most words allowed between neighbours.
 * Matching is a left-to-right pass per element over the words (no backtracking), so a rule
 * costs O(elements × words) whatever the input.
 *
 * @param kind        what a match does: a finding, a guard (masks figurative words), or a recovery marker
 * @param elements    concept ids, in order
 * @param gaps        gaps[i]: most words between element i-1 and element i (gaps[0] unused)
 * @param required    all concepts the rule needs somewhere in the message (a quick pre-check)
 * @param checkNegation whether a negation just before or inside the match cancels it
 * @param ifConcept   the message must contain this concept (-1: no condition)
 * @param unlessConcept the message must not contain this concept (-1: no condition)
 * @param clauseEnd   the match must end its clause (pattern ends with {@code $})
 * @param window      0 for an ordered pattern; otherwise all elements, in any order, within this many words
 * @param key         the element concept with the fewest words: checked first, it rules most messages out at once
 * @param source      file and line, for explanations
 */
record Rule(
        String id,
        Kind kind,
        RiskCategory category,
        Severity severity,
        int[] elements,
        int[] gaps,
        long[] required,
        boolean checkNegation,
        int ifConcept,
        int unlessConcept,
        boolean clauseEnd,
        int window,
        int key,
        String source) {

    enum Kind { FINDING, GUARD, RECOVERY }
}
