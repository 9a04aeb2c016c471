package io.kuzet.geofence.rule;

/**
 * The hand-off of a subject's {@link RuleSet} from the administration thread to the evaluation thread: a single
 * volatile reference, so a swap is atomic and the evaluator sees either the old or the new set, never a mix.
 *
 * <p>Thread-safe; {@link #current} is one volatile read.
 */
public final class RuleSetSlot {
    private volatile RuleSet current;

    public RuleSetSlot(RuleSet initial) {
        this.current = initial;
    }

    public RuleSet current() {
        return current;
    }

    /** Replaces the rule set; evaluators switch at their next fix. */
    public void publish(RuleSet ruleSet) {
        current = ruleSet;
    }
}
