package io.kuzet.server.core;

import io.kuzet.geofence.rule.Hysteresis;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.schedule.DatedException;
import io.kuzet.geofence.schedule.Schedule;
import io.kuzet.geofence.schedule.WeeklyWindow;
import io.kuzet.geofence.zone.GeoJsonZoneReader;
import io.kuzet.geofence.zone.Zone;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.RuleRecord;
import io.kuzet.server.registry.ZoneRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an order's rule records into a geofence {@link RuleSet}: zones parsed and prepared once per registry
 * version and shared between orders, schedules in the order's time zone, per-kind hysteresis defaults overridden
 * by the values set on the rule. A rule that cannot be built (bad GeoJSON) is left out and logged, never
 * silently: the rest of the order is still enforced. Used off the per-fix path; not thread-safe.
 */
final class RuleSetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RuleSetBuilder.class);

    // keyed by the whole record, so an edited zone (same id, new GeoJSON) is parsed again
    private final Map<ZoneRecord, Zone> zones = new HashMap<>();
    private final ServerConfig.Core config;

    RuleSetBuilder(ServerConfig.Core config) {
        this.config = config;
    }

    RuleSet build(RegistrySnapshot registry, OrderRecord order) {
        List<Rule> rules = new ArrayList<>();
        for (RuleRecord record : registry.rules(order.id())) {
            try {
                rules.add(rule(registry, order, record));
            } catch (IllegalArgumentException e) { // includes GeofenceValidationException
                LOG.error("rule {} '{}' of order {} cannot be enforced: {}", record.id(), record.name(),
                        order.legalReference(), e.getMessage());
            }
        }
        return RuleSet.of(rules);
    }

    private Rule rule(RegistrySnapshot registry, OrderRecord order, RuleRecord r) {
        RuleKind kind = RuleKind.valueOf(r.kind());
        Rule.Builder b = Rule.builder(r.id(), kind, r.name());
        if (kind == RuleKind.PROXIMITY) {
            b.victim(r.victimDeviceId(), r.distanceM(), r.warnDistanceM() > r.distanceM() ? r.warnDistanceM() : r.distanceM() * 2);
        } else {
            b.zone(zone(registry, r.zoneId()));
        }
        if (kind == RuleKind.EXCLUSION) {
            double warn = r.warnDistanceM() > 0 ? r.warnDistanceM() : config.exclusionWarningMetres;
            if (warn > 0) {
                b.approachWarning(warn);
            }
        }
        if (!r.windows().isEmpty() || !r.exceptions().isEmpty()) {
            List<WeeklyWindow> windows = new ArrayList<>();
            for (RuleRecord.Window w : r.windows()) {
                windows.add(WeeklyWindow.on(Set.of(w.day()), w.start(), w.end()));
            }
            List<DatedException> exceptions = new ArrayList<>();
            for (RuleRecord.Exception e : r.exceptions()) {
                exceptions.add(e.add() ? DatedException.add(e.date(), e.start(), e.end(), e.reason())
                        : DatedException.remove(e.date(), e.start(), e.end(), e.reason()));
            }
            b.schedule(new Schedule(order.timeZone(), windows, exceptions));
            if (kind == RuleKind.CURFEW && config.curfewWarningS > 0) {
                b.curfewWarning(config.curfewWarningS);
            }
        }
        if (r.graceM() > 0) {
            b.graceMetres(r.graceM());
        }
        Hysteresis d = Hysteresis.defaultsFor(kind);
        b.hysteresis(new Hysteresis(
                r.openFixes() > 0 ? r.openFixes() : d.openFixes(),
                r.openDwellS() > 0 ? r.openDwellS() : d.openDwellSeconds(),
                r.closeFixes() > 0 ? r.closeFixes() : d.closeFixes(),
                r.closeDwellS() > 0 ? r.closeDwellS() : d.closeDwellSeconds(),
                d.maxUncertainSeconds()));
        return b.build();
    }

    private Zone zone(RegistrySnapshot registry, long zoneId) {
        ZoneRecord record = registry.zone(zoneId);
        if (record == null) {
            throw new IllegalArgumentException("zone " + zoneId + " does not exist");
        }
        return zones.computeIfAbsent(record, r -> GeoJsonZoneReader.read(r.name(), r.geoJson()));
    }
}
