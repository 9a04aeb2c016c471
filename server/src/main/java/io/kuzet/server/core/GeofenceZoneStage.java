package io.kuzet.server.core;

import io.kuzet.geofence.decision.DeviceEvaluator;
import io.kuzet.geofence.decision.TransitionEvent;
import io.kuzet.geofence.decision.TransitionKind;
import io.kuzet.geofence.decision.TransitionListener;
import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.protocol.AccuracySource;
import io.kuzet.protocol.Fix;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.RegistrySnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Location rules through the geofence engine. Each order has a {@link RuleSetSlot}; a registry change rebuilds
 * the order's rule set and publishes it, and the device's {@link DeviceEvaluator} adopts it at its next fix. Engine
 * transitions become alerts: violation opened → raised, closed → cleared; clock ticks drive schedule starts
 * (opening from the last known position, CURFEW_STATUS_UNKNOWN). A fix without a reported or estimated accuracy gets
 * the per-model default ({@code core.accuracyDefaults}); the accuracy's source goes into the alert details. Core
 * thread only; evaluating a fix or a tick allocates nothing unless a transition happens.
 */
public final class GeofenceZoneStage implements ZoneStage, TransitionListener {
    private static final Logger LOG = LoggerFactory.getLogger(GeofenceZoneStage.class);
    /** How the server assembly creates this stage. */
    public static final EvaluationAgent.ZoneStageFactory FACTORY = GeofenceZoneStage::new;

    private final AlertBuilder alerts;
    private final AccuracyDefaults accuracyDefaults;
    private final long uploadDelayStatedAfterMs;
    private final long scheduleUnknownAfterMs;
    private final VictimPositions victims = new VictimPositions();
    private final Long2ObjectHashMap<RuleSetSlot> slotsByOrder = new Long2ObjectHashMap<>();
    private final RuleSetBuilder builder;
    private String[] storedRuleFields = new String[0];
    private int[] ruleFieldMapping = new int[0];

    // context of the fix being evaluated, read by onTransition (same thread, same call)
    private DeviceRecord device;
    private OrderRecord order;
    private CoreDevice coreDevice;
    private long recordTimeMs;
    private boolean late;
    private long receivedNanoTime;
    private AccuracySource accuracySource;
    private long fixTimeMs;

    GeofenceZoneStage(AlertBuilder alerts, ServerConfig.Core config) {
        this.alerts = alerts;
        this.accuracyDefaults = new AccuracyDefaults(config.accuracyDefaults);
        this.uploadDelayStatedAfterMs = config.lateFixThresholdS * 1000L;
        this.scheduleUnknownAfterMs = config.scheduleUnknownAfterS * 1000L;
        this.builder = new RuleSetBuilder(config);
    }

    /** Per-device evaluator bound to the order it evaluates for, and the open alert per rule. */
    private static final class DeviceZones {
        final long orderId;
        final DeviceEvaluator evaluator;
        final Long2LongHashMap openAlertByRule = new Long2LongHashMap(CoreDevice.NONE);
        final Long2LongHashMap uncertainAlertByRule = new Long2LongHashMap(CoreDevice.NONE);
        final Long2LongHashMap statusUnknownAlertByRule = new Long2LongHashMap(CoreDevice.NONE);
        /** Accuracy source of the newest in-order fix: what clock-driven transitions were judged with. */
        AccuracySource lastAccuracySource = AccuracySource.DEFAULT;

        DeviceZones(long orderId, DeviceEvaluator evaluator) {
            this.orderId = orderId;
            this.evaluator = evaluator;
        }
    }

    @Override
    public void registryChanged(CoreDirectory directory) {
        if (!(directory instanceof RegistryHolder holder)) {
            return;
        }
        RegistrySnapshot snapshot = holder.snapshot();
        for (OrderRecord o : snapshot.orders()) {
            RuleSet rules = builder.build(snapshot, o);
            RuleSetSlot slot = slotsByOrder.get(o.id());
            if (slot == null) {
                slotsByOrder.put(o.id(), new RuleSetSlot(rules));
            } else {
                slot.publish(rules);
            }
        }
    }

    @Override
    public void onFix(CoreDevice d, DeviceRecord device, OrderRecord order, Fix fix, long recordTimeMs, boolean late,
                      long receivedNanoTime) {
        DeviceZones zones = zones(d, order);
        if (zones == null) {
            return;
        }
        this.device = device;
        this.order = order;
        this.coreDevice = d;
        this.recordTimeMs = recordTimeMs;
        this.late = late;
        this.receivedNanoTime = receivedNanoTime;
        this.fixTimeMs = fix.timeMs;
        AccuracySource source = fix.accuracySource();
        this.accuracySource = source;
        if (!late) {
            zones.lastAccuracySource = source;
        }
        double accuracyMetres = source == AccuracySource.DEFAULT ? accuracyDefaults.metresFor(device.protocol())
                : fix.accuracyMetres();
        zones.evaluator.evaluate(fix.timeMs, fix.latitude(), fix.longitude(), accuracyMetres, this);
    }

    @Override
    public void onVictimFix(DeviceRecord victimDevice, Fix fix) {
        victims.update(victimDevice.id(), fix.timeMs, fix.latitude(), fix.longitude(), fix.accuracyMetres());
    }

    @Override
    public void onVictimPosition(long victimDeviceId, long fixTimeMs, double lat, double lon, double accuracyMetres) {
        victims.update(victimDeviceId, fixTimeMs, lat, lon, accuracyMetres);   // keeps the newer of the two fixes
    }

    @Override
    public void onTick(CoreDevice d, DeviceRecord device, OrderRecord order, long nowMs) {
        DeviceZones zones = zones(d, order);
        if (zones == null) {
            return;
        }
        this.device = device;
        this.order = order;
        this.coreDevice = d;
        this.recordTimeMs = nowMs;
        this.late = false;
        this.receivedNanoTime = 0;
        this.accuracySource = zones.lastAccuracySource;
        this.fixTimeMs = Long.MIN_VALUE;
        zones.evaluator.onClock(nowMs, scheduleUnknownAfterMs, this);
    }

    @Override
    public void saveShared(DataOutput out) throws IOException {
        String[] names = DeviceEvaluator.ruleStateFields();
        out.writeInt(names.length);
        for (String name : names) {
            out.writeUTF(name);
        }
        out.writeInt(victims.size());
        victims.forEach(v -> {
            try {
                out.writeLong(v.victimDeviceId());
                out.writeLong(v.fixTimeMs());
                out.writeDouble(v.position().latDegrees());
                out.writeDouble(v.position().lonDegrees());
                out.writeDouble(v.accuracyMetres());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    public void saveDevice(CoreDevice d, DataOutput out) throws IOException {
        DeviceZones zones = (DeviceZones) d.zoneState;
        out.writeBoolean(zones != null);
        if (zones == null) {
            return;
        }
        out.writeLong(zones.orderId);
        out.writeLong(zones.evaluator.lastFixTimeMs());
        writeMap(zones.openAlertByRule, out);
        writeMap(zones.uncertainAlertByRule, out);
        writeMap(zones.statusUnknownAlertByRule, out);
        out.writeUTF(zones.lastAccuracySource.name());
        out.writeLong(zones.evaluator.clockSinceMs());
        out.writeDouble(zones.evaluator.lastFixLatDegrees());
        out.writeDouble(zones.evaluator.lastFixLonDegrees());
        out.writeDouble(zones.evaluator.lastAccuracyMetres());
        java.util.List<long[]> rules = new java.util.ArrayList<>();
        java.util.List<RuleKind> kinds = new java.util.ArrayList<>();
        zones.evaluator.saveRuleStates((ruleId, kind, values) -> {
            long[] row = new long[values.length + 1];
            row[0] = ruleId;
            System.arraycopy(values, 0, row, 1, values.length);
            rules.add(row);
            kinds.add(kind);
        });
        out.writeInt(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            out.writeUTF(kinds.get(i).name());
            for (long v : rules.get(i)) {
                out.writeLong(v);
            }
        }
    }

    @Override
    public void restoreShared(DataInput in) throws IOException {
        storedRuleFields = new String[in.readInt()];
        for (int i = 0; i < storedRuleFields.length; i++) {
            storedRuleFields[i] = in.readUTF();
        }
        ruleFieldMapping = DeviceEvaluator.ruleStateMapping(storedRuleFields);
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            victims.update(in.readLong(), in.readLong(), in.readDouble(), in.readDouble(), in.readDouble());
        }
    }

    @Override
    public void restoreDevice(CoreDevice d, DataInput in) throws IOException {
        if (!in.readBoolean()) {
            return;
        }
        long orderId = in.readLong();
        long lastFixTimeMs = in.readLong();
        Long2LongHashMap open = readMap(in);
        Long2LongHashMap uncertain = readMap(in);
        Long2LongHashMap statusUnknown = readMap(in);
        AccuracySource lastAccuracySource = AccuracySource.valueOf(in.readUTF());
        long clockSinceMs = in.readLong();
        double lastLat = in.readDouble();
        double lastLon = in.readDouble();
        double lastAccuracyMetres = in.readDouble();
        RuleSetSlot slot = slotsByOrder.get(orderId);
        DeviceZones zones = slot == null ? null : new DeviceZones(orderId, new DeviceEvaluator(d.deviceId, slot, victims));
        if (zones != null) {
            zones.evaluator.restoreLastFixTimeMs(lastFixTimeMs);
            zones.evaluator.restoreClockState(clockSinceMs, lastLat, lastLon, lastAccuracyMetres);
            zones.lastAccuracySource = lastAccuracySource;
        }
        long[] stored = new long[storedRuleFields.length];
        int rules = in.readInt();
        for (int r = 0; r < rules; r++) {
            RuleKind kind = RuleKind.valueOf(in.readUTF());
            long ruleId = in.readLong();
            for (int i = 0; i < stored.length; i++) {
                stored[i] = in.readLong();
            }
            if (zones != null && zones.evaluator.restoreRuleState(ruleId, kind, ruleFieldMapping, stored)) {
                copyEntry(open, zones.openAlertByRule, ruleId);
                copyEntry(uncertain, zones.uncertainAlertByRule, ruleId);
                copyEntry(statusUnknown, zones.statusUnknownAlertByRule, ruleId);
            } else if (open.get(ruleId) != CoreDevice.NONE) {
                LOG.warn("device {}: open alert {} of rule {} (order {}) is not restored: the rule or order no longer exists",
                        d.deviceId, open.get(ruleId), ruleId, orderId);
            }
        }
        d.zoneState = zones;
    }

    private static void copyEntry(Long2LongHashMap from, Long2LongHashMap to, long ruleId) {
        long id = from.get(ruleId);
        if (id != CoreDevice.NONE) {
            to.put(ruleId, id);
        }
    }

    private static void writeMap(Long2LongHashMap map, DataOutput out) throws IOException {
        out.writeInt(map.size());
        Long2LongHashMap.EntryIterator it = map.entrySet().iterator();
        while (it.hasNext()) {
            it.next();
            out.writeLong(it.getLongKey());
            out.writeLong(it.getLongValue());
        }
    }

    private static Long2LongHashMap readMap(DataInput in) throws IOException {
        Long2LongHashMap map = new Long2LongHashMap(CoreDevice.NONE);
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            map.put(in.readLong(), in.readLong());
        }
        return map;
    }

    private DeviceZones zones(CoreDevice d, OrderRecord order) {
        DeviceZones zones = (DeviceZones) d.zoneState;
        if (zones == null || zones.orderId != order.id()) {
            RuleSetSlot slot = slotsByOrder.get(order.id());
            if (slot == null) {
                return null;
            }
            zones = new DeviceZones(order.id(), new DeviceEvaluator(d.deviceId, slot, victims));
            d.zoneState = zones;
        }
        return zones;
    }

    @Override
    public void onTransition(TransitionEvent e) {
        DeviceZones zones = (DeviceZones) coreDevice.zoneState;
        AlertType type = violationType(e.ruleKind());
        boolean isLate = late || e.late();
        switch (e.transition()) {
            case VIOLATION_OPENED -> {
                clearUncertain(zones, e);
                // opened on the clock: dated from the window start; the last known fix is in the details
                long fixTime = e.clockTimeMs() >= 0 ? e.openingFixTimeMs() : e.fixTimeMs();
                long id = alerts.raise(device, order, type, e.ruleId(), e.openingFixTimeMs(), fixTime, recordTimeMs, isLate,
                        explanation(e, isLate), details(e), receivedNanoTime);
                zones.openAlertByRule.put(e.ruleId(), id);
            }
            case VIOLATION_CLOSED -> {
                clearUncertain(zones, e);
                long id = zones.openAlertByRule.remove(e.ruleId());
                if (id != CoreDevice.NONE) {
                    alerts.clear(id, device, order, type, e.ruleId(), e.fixTimeMs(), recordTimeMs, isLate, e.explanation(), details(e));
                }
            }
            case UNCERTAIN_TOO_LONG -> {
                if (zones.uncertainAlertByRule.get(e.ruleId()) == CoreDevice.NONE) {
                    long id = alerts.raise(device, order, AlertType.ZONE_UNCERTAIN, e.ruleId(), e.openingFixTimeMs(), e.fixTimeMs(),
                            recordTimeMs, isLate, explanation(e, isLate), details(e), receivedNanoTime);
                    zones.uncertainAlertByRule.put(e.ruleId(), id);
                }
            }
            case LATE_VIOLATION -> alerts.raise(device, order, type, e.ruleId(), e.openingFixTimeMs(), e.fixTimeMs(), recordTimeMs, true,
                    explanation(e, true), details(e), receivedNanoTime); // one-shot: the episode is over, nothing to clear
            case APPROACH_WARNING -> alerts.raise(device, order, AlertType.ZONE_APPROACH_WARNING, e.ruleId(), e.openingFixTimeMs(),
                    e.fixTimeMs(), recordTimeMs, isLate, explanation(e, isLate), details(e), receivedNanoTime);
            case APPROACH_WARNING_ENDED -> alerts.clear(io.kuzet.server.alert.Alert.identity(device.id(),
                            AlertType.ZONE_APPROACH_WARNING, e.ruleId(), e.openingFixTimeMs()), device, order,
                    AlertType.ZONE_APPROACH_WARNING, e.ruleId(), e.fixTimeMs(), recordTimeMs, false, e.explanation(), details(e));
            case CURFEW_WARNING -> alerts.raise(device, order, AlertType.CURFEW_WARNING, e.ruleId(), e.openingFixTimeMs(),
                    e.fixTimeMs(), recordTimeMs, false, e.explanation(), details(e), receivedNanoTime);
            case PROXIMITY_WARNING -> alerts.raise(device, order, AlertType.PROXIMITY_WARNING, e.ruleId(), e.openingFixTimeMs(),
                    e.fixTimeMs(), recordTimeMs, isLate, explanation(e, isLate), details(e), receivedNanoTime);
            case PROXIMITY_WARNING_ENDED -> alerts.clear(io.kuzet.server.alert.Alert.identity(device.id(),
                            AlertType.PROXIMITY_WARNING, e.ruleId(), e.openingFixTimeMs()), device, order,
                    AlertType.PROXIMITY_WARNING, e.ruleId(), e.fixTimeMs(), recordTimeMs, false, e.explanation(), details(e));
            case SCHEDULE_STATUS_UNKNOWN -> {
                if (zones.statusUnknownAlertByRule.get(e.ruleId()) == CoreDevice.NONE) {
                    long id = alerts.raise(device, order, AlertType.CURFEW_STATUS_UNKNOWN, e.ruleId(), e.openingFixTimeMs(),
                            e.fixTimeMs(), recordTimeMs, false, e.explanation(), details(e), 0);
                    zones.statusUnknownAlertByRule.put(e.ruleId(), id);
                }
            }
            case SCHEDULE_STATUS_KNOWN -> {
                long id = zones.statusUnknownAlertByRule.remove(e.ruleId());
                if (id != CoreDevice.NONE) {
                    alerts.clear(id, device, order, AlertType.CURFEW_STATUS_UNKNOWN, e.ruleId(), e.fixTimeMs(), recordTimeMs,
                            false, e.explanation(), details(e));
                }
            }
            default -> {
                // future transition kinds are ignored until the core knows how to alert on them
            }
        }
    }

    private void clearUncertain(DeviceZones zones, TransitionEvent e) {
        long id = zones.uncertainAlertByRule.remove(e.ruleId());
        if (id != CoreDevice.NONE) {
            alerts.clear(id, device, order, AlertType.ZONE_UNCERTAIN, e.ruleId(), e.fixTimeMs(), recordTimeMs, false,
                    "Position resolved: " + e.explanation(), details(e));
        }
    }

    /**
     * The engine's line plus what an operator needs about timing: "late" only for a fix older than the device's newest
     * (out of order), and, separately, the upload delay when it exceeds {@code core.lateFixThresholdS}.
     */
    private String explanation(TransitionEvent e, boolean isLate) {
        String text = e.explanation();
        long delayMs = uploadDelayMs(e);
        if (delayMs > uploadDelayStatedAfterMs) {
            text += "; uploaded " + AlertBuilder.minutes(delayMs) + " after the fix";
        }
        if (isLate) {
            text += " [late: older than the device's newest fix at " + AlertBuilder.time(coreDevice.newestFixTimeMs, order)
                    + "; fix at " + AlertBuilder.time(e.fixTimeMs(), order) + "]";
        }
        return text;
    }

    /** Receive time minus fix time of the fix that completed the transition; -1 for clock-driven transitions. */
    private long uploadDelayMs(TransitionEvent e) {
        return e.clockTimeMs() >= 0 || fixTimeMs == Long.MIN_VALUE ? -1 : Math.max(0, recordTimeMs - e.fixTimeMs());
    }

    private Map<String, Object> details(TransitionEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruleName", e.ruleName());
        m.put("ruleKind", e.ruleKind().name());
        if (e.zoneName() != null) {
            m.put("zoneName", e.zoneName());
        }
        m.put("decision", e.decision().name());
        m.put("signedDistanceMetres", round(e.signedDistanceMetres()));
        m.put("accuracyMetres", round(e.accuracyMetres()));
        m.put("fixCount", e.fixCount());
        m.put("durationSeconds", e.durationMs() / 1000);
        m.put("accuracySource", accuracySource == null ? AccuracySource.DEFAULT.name() : accuracySource.name());
        m.put("openingFixTime", java.time.Instant.ofEpochMilli(e.openingFixTimeMs()).toString());
        long delayMs = uploadDelayMs(e);
        if (delayMs >= 0) {
            m.put("uploadDelaySeconds", delayMs / 1000);
        }
        if (e.clockTimeMs() >= 0 && e.transition() == TransitionKind.VIOLATION_OPENED) {
            m.put("basis", "LAST_KNOWN_POSITION");
            m.put("lastFixTime", e.fixTimeMs() == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(e.fixTimeMs()).toString());
        }
        if (e.ruleKind() == RuleKind.PROXIMITY) {
            m.put("victimPositionAgeSeconds", e.victimAgeMs() < 0 ? null : e.victimAgeMs() / 1000);
        }
        return m;
    }

    private static Object round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    private static AlertType violationType(RuleKind kind) {
        return switch (kind) {
            case EXCLUSION -> AlertType.EXCLUSION_VIOLATION;
            case INCLUSION -> AlertType.INCLUSION_VIOLATION;
            case CURFEW -> AlertType.CURFEW_VIOLATION;
            case PROXIMITY -> AlertType.PROXIMITY_VIOLATION;
        };
    }
}
