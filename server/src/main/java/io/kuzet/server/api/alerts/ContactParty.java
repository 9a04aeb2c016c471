package io.kuzet.server.api.alerts;

/** Whom an operator called about an alert (a structured contact-log entry). */
public enum ContactParty {
    SUBJECT,
    OFFICER,
    VICTIM,
    POLICE
}
