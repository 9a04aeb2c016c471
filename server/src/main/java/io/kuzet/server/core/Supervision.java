package io.kuzet.server.core;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandOrigin;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.command.DeviceCommandRequests;
import io.kuzet.server.command.ProtocolCommands;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.ReportingInterval;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Adaptive supervision: the core's alert decisions turned into commands to the bracelet. A location violation opening
 * switches the device to fast reporting ("pursuit") until the last open violation has closed plus a hold time, then
 * back to the order's normal interval (an approach warning starts the same pursuit for a while, so a breach that follows
 * is seen sooner); a warning (approach to an exclusion zone, proximity warning, curfew soon while
 * away) vibrates the bracelet once per episode; a low or critical battery reminds the subject to charge.
 *
 * <p>Every decision is taken in journal time from state kept in {@link CoreDevice} (snapshotted), and each command
 * carries a de-duplication key derived from the alert id and the step ({@code pursuit-on:<id>}, {@code pursuit-off:<id>},
 * {@code warn:<id>}, {@code charge:<id>}), so a replay of the journal after a restart asks again with the same keys and
 * the command service queues nothing twice. Core thread only; runs only when an alert is raised or cleared, and on
 * ticks, where it allocates nothing unless a pursuit ends.
 */
final class Supervision {
    private static final String RULE_NAME = "adaptive supervision";

    private final ServerConfig.Core config;
    private final DeviceCommandRequests commands;
    private final Long2ObjectHashMap<CoreDevice> devices;
    private final Duration ttl;
    private final PursuitIntervals pursuing;

    Supervision(ServerConfig.Core config, DeviceCommandRequests commands, Long2ObjectHashMap<CoreDevice> devices,
                PursuitIntervals pursuing) {
        this.config = config;
        this.commands = commands;
        this.devices = devices;
        this.ttl = Duration.ofSeconds(config.commandTtlS);
        this.pursuing = pursuing;
    }

    /** After a snapshot was loaded: devices under pursuit in it are told the pursuit interval when they log in. */
    void restored() {
        pursuing.clear();
        for (CoreDevice d : devices.values()) {
            if (d.pursuitAlert != CoreDevice.NONE) {
                pursuing.pursue(d.deviceId, config.pursuitIntervalS);
            }
        }
    }

    /** Whether any command can reach a device; without the command service nothing is sent or recorded as sent. */
    private boolean sending() {
        return commands != DeviceCommandRequests.NONE;
    }

    /**
     * An alert is being raised (also when it was emitted before a restart: the decision is taken again, the key
     * dedups it). Returns the alert to emit, with what the bracelet was told added to its explanation and details.
     */
    Alert onRaised(Alert alert, DeviceRecord device, OrderRecord order) {
        if (!sending()) {
            return alert;
        }
        CoreDevice d = devices.get(device.id());
        if (isViolation(alert.type()) && !alert.late() && config.pursuitIntervalS > 0 && d != null) {
            return startPursuit(d, alert, device, order);
        }
        if (isWarning(alert.type()) && !stale(alert) && config.warningVibrateMs > 0) {
            if (alert.type() != AlertType.CURFEW_WARNING && config.approachPursuitS > 0 && config.pursuitIntervalS > 0 && d != null) {
                watchApproach(d, alert, device);
            }
            if (!canVibrate(device)) {
                return alert;   // a GT06 tracker cannot vibrate: nobody was warned, so the alert must not say so
            }
            vibrate(device, alert, config.warningVibrateMs, "warn:", "subject warned: " + alert.explanation());
            return withNote(alert, "subject warned by vibration", "VIBRATE " + config.warningVibrateMs + " ms");
        }
        if ((alert.type() == AlertType.BATTERY_LOW || alert.type() == AlertType.BATTERY_CRITICAL)
                && config.chargeReminderVibrateMs > 0 && canVibrate(device)) {
            vibrate(device, alert, config.chargeReminderVibrateMs, "charge:", "reminder to charge: " + alert.explanation());
            return withNote(alert, "subject reminded to charge by vibration",
                    "VIBRATE " + config.chargeReminderVibrateMs + " ms (reminder to charge)");
        }
        return alert;
    }

    /** An alert raised earlier is cleared at {@code atMs} (journal time). */
    void onCleared(long alertId, AlertType type, DeviceRecord device, long atMs) {
        if (!sending() || !isViolation(type)) {
            return;
        }
        CoreDevice d = devices.get(device.id());
        if (d == null || d.pursuitAlert == CoreDevice.NONE || d.pursuitViolations == 0) {
            return;
        }
        if (--d.pursuitViolations == 0) {
            d.pursuitEndsAtMs = atMs + config.pursuitHoldS * 1000L;
        }
    }

    /** A clock tick: a pursuit whose hold has passed goes back to the order's normal interval. */
    void onTick(CoreDevice d, DeviceRecord device, OrderRecord order, long nowMs) {
        if (d.pursuitAlert == CoreDevice.NONE || d.pursuitViolations > 0 || nowMs < d.pursuitEndsAtMs) {
            return;
        }
        int normalS = ReportingInterval.forRisk(order == null ? null : order.riskLevel());
        commands.request(new CommandRequest(device.id(), CommandKind.SET_REPORTING_INTERVAL, normalS,
                CommandOrigin.SUPERVISION, RULE_NAME, "no violation open: back to the order's normal interval of " + normalS
                        + " s", d.pursuitAlert,
                "pursuit-off:" + d.pursuitAlert, ttl));
        d.pursuitAlert = CoreDevice.NONE;
        d.pursuitEndsAtMs = -1;
        pursuing.end(device.id());
    }

    /**
     * An approach warning: fast reporting for {@code approachPursuitS} (or longer, if a pursuit is already holding), so
     * a violation that follows opens within one pursuit interval of its first fix instead of one normal interval.
     */
    private void watchApproach(CoreDevice d, Alert warning, DeviceRecord device) {
        long until = warning.detectedAtMs() + config.approachPursuitS * 1000L;
        if (d.pursuitAlert == CoreDevice.NONE) {
            d.pursuitAlert = warning.alertId();
            d.pursuitViolations = 0;
            d.pursuitEndsAtMs = until;
            pursuing.pursue(device.id(), config.pursuitIntervalS);
            commands.request(new CommandRequest(device.id(), CommandKind.SET_REPORTING_INTERVAL, config.pursuitIntervalS,
                    CommandOrigin.SUPERVISION, RULE_NAME, "approach warning: " + warning.explanation(), warning.alertId(),
                    "pursuit-on:" + warning.alertId(), ttl));
        } else if (d.pursuitViolations == 0) {
            d.pursuitEndsAtMs = Math.max(d.pursuitEndsAtMs, until);
        }
    }

    private Alert startPursuit(CoreDevice d, Alert alert, DeviceRecord device, OrderRecord order) {
        d.pursuitViolations++;
        d.pursuitEndsAtMs = -1;
        if (d.pursuitAlert == CoreDevice.NONE) {
            d.pursuitAlert = alert.alertId();
            pursuing.pursue(device.id(), config.pursuitIntervalS);
            commands.request(new CommandRequest(device.id(), CommandKind.SET_REPORTING_INTERVAL, config.pursuitIntervalS,
                    CommandOrigin.SUPERVISION, RULE_NAME, "violation opened: " + alert.explanation(), alert.alertId(),
                    "pursuit-on:" + alert.alertId(), ttl));
        }
        int normalS = ReportingInterval.forRisk(order == null ? null : order.riskLevel());
        Map<String, Object> details = new LinkedHashMap<>(alert.details());
        details.put("pursuit", "reporting every " + config.pursuitIntervalS + " s until the violation ends + "
                + AlertBuilder.minutes(config.pursuitHoldS * 1000L) + ", then every " + normalS + " s");
        return new Alert(alert.alertId(), alert.phase(), alert.type(), alert.severity(), alert.deviceId(), alert.deviceNumber(),
                alert.subjectId(), alert.orderId(), alert.ruleId(), alert.fixTimeMs(), alert.detectedAtMs(), alert.late(),
                alert.explanation(), details);
    }

    private void vibrate(DeviceRecord device, Alert alert, int ms, String keyPrefix, String reason) {
        commands.request(new CommandRequest(device.id(), CommandKind.VIBRATE, ms, CommandOrigin.SUPERVISION, RULE_NAME,
                reason, alert.alertId(), keyPrefix + alert.alertId(), ttl));
    }

    /** The alert with the warning stated: the storage writer turns "subjectWarned" into a SUBJECT_WARNED history entry. */
    private static Alert withNote(Alert alert, String sentence, String command) {
        Map<String, Object> details = new LinkedHashMap<>(alert.details());
        details.put("subjectWarned", command);
        return new Alert(alert.alertId(), alert.phase(), alert.type(), alert.severity(), alert.deviceId(), alert.deviceNumber(),
                alert.subjectId(), alert.orderId(), alert.ruleId(), alert.fixTimeMs(), alert.detectedAtMs(), alert.late(),
                alert.explanation() + "; " + sentence, details);
    }

    /**
     * A warning decided on a fix out of order, or uploaded later than {@code core.lateFixThresholdS} (buffered by the
     * bracelet): it is about where the subject was minutes ago, so a vibration now would warn of nothing. Curfew
     * warnings are decided on the clock, dated from the last known fix, and are never stale.
     */
    private boolean stale(Alert alert) {
        return alert.type() != AlertType.CURFEW_WARNING
                && (alert.late() || alert.detectedAtMs() - alert.fixTimeMs() > config.lateFixThresholdS * 1000L);
    }

    private static boolean canVibrate(DeviceRecord device) {
        return ProtocolCommands.supports(device.protocol(), CommandKind.VIBRATE);
    }

    static boolean isViolation(AlertType type) {
        return type == AlertType.EXCLUSION_VIOLATION || type == AlertType.INCLUSION_VIOLATION
                || type == AlertType.CURFEW_VIOLATION || type == AlertType.PROXIMITY_VIOLATION;
    }

    static boolean isWarning(AlertType type) {
        return type == AlertType.ZONE_APPROACH_WARNING || type == AlertType.PROXIMITY_WARNING
                || type == AlertType.CURFEW_WARNING;
    }
}
