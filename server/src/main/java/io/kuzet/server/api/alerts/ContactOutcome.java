package io.kuzet.server.api.alerts;

/** What came of a call logged on an alert. */
public enum ContactOutcome {
    REACHED,
    NO_ANSWER,
    LEFT_MESSAGE,
    WRONG_NUMBER
}
