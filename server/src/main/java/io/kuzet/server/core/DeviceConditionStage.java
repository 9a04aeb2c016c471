package io.kuzet.server.core;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import java.util.Map;

/**
 * Device-condition alerts: tamper, battery and power from device events and heartbeats, and the absence alerts
 * driven by clock ticks — no communication for longer than the order's limit, and no valid GPS fix while the
 * device keeps communicating (shielding or jamming). Absence and battery alerts clear when data shows the
 * condition is over; tamper alerts never clear by themselves. Core thread only.
 */
final class DeviceConditionStage {
    private final ServerConfig.Core config;
    private final AlertBuilder alerts;

    DeviceConditionStage(ServerConfig.Core config, AlertBuilder alerts) {
        this.config = config;
        this.alerts = alerts;
    }

    /** A message arrived: communication is back, events and battery level are applied. */
    void onMessage(CoreDevice d, DeviceRecord device, OrderRecord order, DeviceMessage msg, long timeMs, boolean hasValidFix,
                   boolean late, long receivedNanoTime) {
        d.lastCommunicationMs = Math.max(d.lastCommunicationMs, timeMs);
        if (d.noCommunicationAlert != CoreDevice.NONE) {
            alerts.clear(d.noCommunicationAlert, device, order, AlertType.NO_COMMUNICATION, 0, timeMs, timeMs, false,
                    "Communication restored at " + AlertBuilder.time(timeMs, order), Map.of());
            d.noCommunicationAlert = CoreDevice.NONE;
        }
        if (hasValidFix) {
            d.lastValidFixMs = Math.max(d.lastValidFixMs, timeMs);
            if (d.noFixAlert != CoreDevice.NONE) {
                alerts.clear(d.noFixAlert, device, order, AlertType.NO_GPS_FIX, 0, timeMs, timeMs, false,
                        "Valid GPS fix received again at " + AlertBuilder.time(timeMs, order), Map.of());
                d.noFixAlert = CoreDevice.NONE;
            }
        }
        if (d.powerOffAlert != CoreDevice.NONE) {
            alerts.clear(d.powerOffAlert, device, order, AlertType.POWER_OFF, 0, timeMs, timeMs, false,
                    "Device communicating again at " + AlertBuilder.time(timeMs, order), Map.of());
            d.powerOffAlert = CoreDevice.NONE;
        }
        for (int i = 0; i < msg.eventCount(); i++) {
            onEvent(d, device, order, msg.eventType(i), msg.eventTimeMs(i), msg.eventValue(i), timeMs, late, receivedNanoTime);
        }
        if (msg.batteryPercent != DeviceMessage.UNKNOWN) {
            onBatteryLevel(d, device, order, msg.batteryPercent, timeMs, timeMs, late, receivedNanoTime);
        }
    }

    /**
     * Fix times of a message were checked at ingest: {@code clockFaults} fixes were implausible for their receive time.
     * A run of them ({@code core.clockFaultAlertFixes} in a row, or lasting {@code core.clockFaultAlertS}) raises
     * CLOCK_FAULT; the first message with a plausible fix time clears it.
     */
    void onFixClock(CoreDevice d, DeviceRecord device, OrderRecord order, int clockFaults, boolean goodClockFix,
                    long faultyFixMs, long timeMs, long receivedNanoTime) {
        if (goodClockFix) {
            d.clockFaultRun = 0;
            d.clockFaultSinceMs = -1;
            if (d.clockFaultAlert != CoreDevice.NONE) {
                alerts.clear(d.clockFaultAlert, device, order, AlertType.CLOCK_FAULT, 0, timeMs, timeMs, false,
                        "Device clock right again: fix times plausible since " + AlertBuilder.time(timeMs, order), Map.of());
                d.clockFaultAlert = CoreDevice.NONE;
            }
            return;
        }
        if (d.clockFaultRun == 0) {
            d.clockFaultSinceMs = timeMs;
        }
        d.clockFaultRun += clockFaults;
        if (d.clockFaultAlert == CoreDevice.NONE && (d.clockFaultRun >= config.clockFaultAlertFixes
                || timeMs - d.clockFaultSinceMs >= 1000L * config.clockFaultAlertS)) {
            long offsetMs = faultyFixMs - timeMs;
            d.clockFaultAlert = alerts.raise(device, order, AlertType.CLOCK_FAULT, 0, d.clockFaultSinceMs, d.clockFaultSinceMs,
                    timeMs, false,
                    "Device clock wrong: " + d.clockFaultRun + " fixes in a row dated " + span(Math.abs(offsetMs))
                            + (offsetMs > 0 ? " ahead of" : " before") + " their receive time (last fix dated "
                            + AlertBuilder.time(faultyFixMs, order) + ", received " + AlertBuilder.time(timeMs, order)
                            + " after " + AlertBuilder.minutes(timeMs - d.clockFaultSinceMs)
                            + "); its positions are kept as evidence but not evaluated against zones",
                    Map.of("faultyFixes", d.clockFaultRun, "claimedFixTimeMs", faultyFixMs, "receivedAtMs", timeMs,
                            "offsetSeconds", offsetMs / 1000), receivedNanoTime);
        }
    }

    private static String span(long ms) {
        long hours = ms / 3_600_000L;
        return hours >= 48 ? (hours / 24) + " days" : AlertBuilder.minutes(ms);
    }

    private void onEvent(CoreDevice d, DeviceRecord device, OrderRecord order, DeviceEventType type, long eventMs, int value,
                         long timeMs, boolean late, long receivedNanoTime) {
        switch (type) {
            case STRAP_TAMPER -> {
                if (d.strapTamperAlert == CoreDevice.NONE) {
                    d.strapTamperAlert = alerts.raise(device, order, AlertType.STRAP_TAMPER, 0, eventMs, eventMs, timeMs, late,
                            "Strap tamper reported by bracelet " + device.deviceNumber() + " at " + AlertBuilder.time(eventMs, order)
                                    + (late ? " (reported late, at " + AlertBuilder.time(timeMs, order) + ")" : ""),
                            Map.of("eventTimeMs", eventMs, "delaySeconds", (timeMs - eventMs) / 1000), receivedNanoTime);
                }
            }
            case STRAP_RESTORED -> d.strapTamperAlert = CoreDevice.NONE; // new tamper = new alert; the open one awaits an operator
            case CASE_TAMPER -> {
                if (d.caseTamperAlert == CoreDevice.NONE) {
                    d.caseTamperAlert = alerts.raise(device, order, AlertType.CASE_TAMPER, 0, eventMs, eventMs, timeMs, late,
                            "Case tamper reported by bracelet " + device.deviceNumber() + " at " + AlertBuilder.time(eventMs, order),
                            Map.of("eventTimeMs", eventMs), receivedNanoTime);
                }
            }
            case BATTERY_LOW, BATTERY_CRITICAL -> {
                int percent = value >= 0 ? value : (type == DeviceEventType.BATTERY_CRITICAL ? config.batteryCriticalPercent
                        : config.batteryLowPercent);
                onBatteryLevel(d, device, order, percent, eventMs, timeMs, late, receivedNanoTime);
            }
            case CHARGER_CONNECTED -> clearBattery(d, device, order, timeMs, "charger connected");
            case POWER_OFF -> {
                if (d.powerOffAlert == CoreDevice.NONE) {
                    d.powerOffAlert = alerts.raise(device, order, AlertType.POWER_OFF, 0, eventMs, eventMs, timeMs, late,
                            "Bracelet " + device.deviceNumber() + " reported power off at " + AlertBuilder.time(eventMs, order),
                            Map.of("eventTimeMs", eventMs), receivedNanoTime);
                }
            }
            default -> {
                // other events (charger off, beacon, no motion, SOS, command results) are stored as evidence by the
                // storage writer; they count as communication (above) and raise nothing
            }
        }
    }

    private void onBatteryLevel(CoreDevice d, DeviceRecord device, OrderRecord order, int percent, long atMs, long timeMs,
                                boolean late, long receivedNanoTime) {
        if (percent <= config.batteryCriticalPercent) {
            if (d.batteryCriticalAlert == CoreDevice.NONE) {
                d.batteryCriticalAlert = alerts.raise(device, order, AlertType.BATTERY_CRITICAL, 0, atMs, atMs, timeMs, late,
                        "Battery critical: " + percent + " % (threshold " + config.batteryCriticalPercent + " %); device will stop reporting soon",
                        Map.of("batteryPercent", percent, "thresholdPercent", config.batteryCriticalPercent), receivedNanoTime);
            }
        } else if (percent <= config.batteryLowPercent) {
            if (d.batteryLowAlert == CoreDevice.NONE && d.batteryCriticalAlert == CoreDevice.NONE) {
                d.batteryLowAlert = alerts.raise(device, order, AlertType.BATTERY_LOW, 0, atMs, atMs, timeMs, late,
                        "Battery low: " + percent + " % (threshold " + config.batteryLowPercent + " %)",
                        Map.of("batteryPercent", percent, "thresholdPercent", config.batteryLowPercent), receivedNanoTime);
            }
        } else {
            clearBattery(d, device, order, timeMs, "battery at " + percent + " %");
        }
    }

    private void clearBattery(CoreDevice d, DeviceRecord device, OrderRecord order, long timeMs, String why) {
        if (d.batteryCriticalAlert != CoreDevice.NONE) {
            alerts.clear(d.batteryCriticalAlert, device, order, AlertType.BATTERY_CRITICAL, 0, timeMs, timeMs, false,
                    "Battery recovered: " + why, Map.of());
            d.batteryCriticalAlert = CoreDevice.NONE;
        }
        if (d.batteryLowAlert != CoreDevice.NONE) {
            alerts.clear(d.batteryLowAlert, device, order, AlertType.BATTERY_LOW, 0, timeMs, timeMs, false,
                    "Battery recovered: " + why, Map.of());
            d.batteryLowAlert = CoreDevice.NONE;
        }
    }

    /**
     * A second login of a device while it was connected: every occurrence is its own alert (operator-resolved), with
     * both source addresses, because it means a spoofed IMEI, a cloned device or a leaked key (docs/device-trust.md).
     */
    void onSessionConflict(DeviceRecord device, OrderRecord order, IngestRecord r) {
        String outcome = r.conflictOutcome == 0 ? "the earlier connection was closed" : "the new connection was refused";
        alerts.raise(device, order, AlertType.DUPLICATE_SESSION, 0, r.timeMs, r.timeMs, r.timeMs, false,
                "Device " + device.deviceNumber() + " (" + Protocol.fromCode(r.protocol).label() + ") logged in twice at "
                        + AlertBuilder.time(r.timeMs, order) + ": " + r.conflictDetail + "; " + outcome,
                Map.of("sources", r.conflictDetail, "outcome", r.conflictOutcome == 0 ? "replaced" : "refused",
                        "protocol", Protocol.fromCode(r.protocol).label()), 0);
    }

    /** A clock tick: raises absence alerts whose limit has passed. */
    void onTick(CoreDevice d, DeviceRecord device, OrderRecord order, long nowMs) {
        if (d.monitoringSinceMs < 0) {
            d.monitoringSinceMs = nowMs;
        }
        long lastComm = d.lastCommunicationMs >= 0 ? d.lastCommunicationMs : d.monitoringSinceMs;
        long noCommLimitMs = 1000L * positiveOr(order.noCommunicationLimitS(), config.defaultNoCommunicationLimitS);
        if (d.noCommunicationAlert == CoreDevice.NONE && nowMs - lastComm > noCommLimitMs) {
            d.noCommunicationAlert = alerts.raise(device, order, AlertType.NO_COMMUNICATION, 0, lastComm, lastComm, nowMs, false,
                    "No communication for " + AlertBuilder.minutes(nowMs - lastComm) + " (limit " + AlertBuilder.minutes(noCommLimitMs)
                            + "); last message " + (d.lastCommunicationMs >= 0 ? AlertBuilder.time(lastComm, order) : "never since monitoring began"),
                    Map.of("silentSeconds", (nowMs - lastComm) / 1000, "limitSeconds", noCommLimitMs / 1000,
                            "neverSinceMonitoringBegan", d.lastCommunicationMs < 0), 0);
        }
        long noFixLimitMs = 1000L * positiveOr(order.noFixLimitS(), config.defaultNoFixLimitS);
        long lastFix = d.lastValidFixMs >= 0 ? d.lastValidFixMs : d.monitoringSinceMs;
        boolean communicating = d.lastCommunicationMs >= 0 && nowMs - d.lastCommunicationMs <= noCommLimitMs;
        if (d.noFixAlert == CoreDevice.NONE && communicating && nowMs - lastFix > noFixLimitMs) {
            d.noFixAlert = alerts.raise(device, order, AlertType.NO_GPS_FIX, 0, lastFix, lastFix, nowMs, false,
                    "Communicating but no valid GPS fix for " + AlertBuilder.minutes(nowMs - lastFix) + " (limit "
                            + AlertBuilder.minutes(noFixLimitMs) + "): possible shielding or jamming; last fix "
                            + (d.lastValidFixMs >= 0 ? AlertBuilder.time(lastFix, order) : "never since monitoring began"),
                    Map.of("noFixSeconds", (nowMs - lastFix) / 1000, "limitSeconds", noFixLimitMs / 1000,
                            "neverSinceMonitoringBegan", d.lastValidFixMs < 0), 0);
        }
    }

    private static int positiveOr(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
