package io.kuzet.server.alert;

/** How urgently operators must act; the queue is ordered by it. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public Severity raise() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }

    public Severity lower() {
        return this == LOW ? LOW : values()[ordinal() - 1];
    }
}
