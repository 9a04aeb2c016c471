package io.kuzet.server.command;

import java.time.Duration;

/**
 * One command to queue for one device.
 *
 * @param deviceId   the device (registry id) that must receive it
 * @param kind       what to do
 * @param argument   per kind (seconds, milliseconds), 0 when unused
 * @param origin     operator or supervision
 * @param requestedBy the user name for operator commands, a rule name for supervision
 * @param reason     why, shown to operators and kept in the audit trail
 * @param alertId    the alert that caused it, 0 when none
 * @param dedupKey   a key that is the same every time the same decision is taken (for supervision derived from the
 *                   alert id and the step, e.g. {@code pursuit-on:<alertId>}), so a replay of the journal after a
 *                   restart does not queue the command twice; null for operator commands (each request is new)
 * @param timeToLive how long the command may wait for the device before it expires
 */
public record CommandRequest(long deviceId, CommandKind kind, long argument, CommandOrigin origin, String requestedBy,
        String reason, long alertId, String dedupKey, Duration timeToLive) {
}
