package io.kuzet.server.registry;

/** Kinds of court or administrative order under which a subject is monitored. */
public enum OrderKind {
    PRE_TRIAL_RESTRICTION,
    HOUSE_ARREST,
    RESTRICTION_OF_FREEDOM,
    SUSPENDED_SENTENCE,
    PAROLE,
    POST_PENITENTIARY_SUPERVISION,
    ADMINISTRATIVE_SUPERVISION;

    /** A pre-trial subject is presumed innocent; consoles say so. */
    public boolean presumedInnocent() {
        return this == PRE_TRIAL_RESTRICTION;
    }
}
