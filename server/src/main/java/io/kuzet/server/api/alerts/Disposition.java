package io.kuzet.server.api.alerts;

/** How an operator closes an alert; the fixed list the issue names. Contestable ones carry the reason in the note. */
public enum Disposition {
    CONFIRMED_VIOLATION,
    SUBJECT_CONTACTED,
    POLICE_DISPATCHED,
    EQUIPMENT_FAULT,
    GPS_ERROR_FALSE_ALARM,
    DISPUTED_BY_SUBJECT
}
