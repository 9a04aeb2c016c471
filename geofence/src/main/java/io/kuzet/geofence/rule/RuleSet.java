package io.kuzet.geofence.rule;

import io.kuzet.geofence.GeofenceValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The immutable snapshot of one subject's rules. Built off the hot path (zones are prepared when built) and
 * published through a {@link RuleSetSlot}; evaluators pick it up at their next fix.
 *
 * <p>Immutable and thread-safe.
 */
public final class RuleSet {
    /** A subject with no rules. */
    public static final RuleSet EMPTY = new RuleSet(new Rule[0]);

    private final Rule[] rules;

    private RuleSet(Rule[] rules) {
        this.rules = rules;
    }

    /** @throws GeofenceValidationException when two rules share an id */
    public static RuleSet of(List<Rule> rules) {
        Set<Long> ids = new HashSet<>();
        for (Rule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new GeofenceValidationException("Rule id " + rule.id() + " appears twice in one rule set");
            }
        }
        return new RuleSet(rules.toArray(new Rule[0]));
    }

    public int size() {
        return rules.length;
    }

    public Rule get(int index) {
        return rules[index];
    }

    public List<Rule> rules() {
        return List.of(rules);
    }
}
