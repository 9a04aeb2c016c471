package io.kuzet.server.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one write path for the rules of an order with their weekly schedules and dated exceptions, used by the API
 * and the provisioning import. A rule only uses a zone of its order's agency and only a victim unit
 * {@link VictimUnits} allows that agency. Not thread-safe (one per {@link RegistryWrites}).
 */
public final class RuleRepository {
    /** The rule kinds the evaluation core knows. */
    public static final List<String> KINDS = List.of("INCLUSION", "EXCLUSION", "CURFEW", "PROXIMITY");
    private static final String INSERT = """
            insert into rules (order_id, name, kind, zone_id, victim_device_id, distance_m, warn_distance_m, grace_m,
                               open_fixes, open_dwell_s, close_fixes, close_dwell_s, active)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_WINDOW = "insert into schedules (rule_id, weekday, start_time, end_time) values (?, ?, ?, ?)";
    private static final String INSERT_EXCEPTION = """
            insert into schedule_exceptions (rule_id, on_date, start_time, end_time, action, reason)
            values (?, ?, ?, ?, ?, ?)""";

    private final Statements statements;
    private final ZoneRepository zones;
    private final Statements.Batch windowRows;
    private final Statements.Batch exceptionRows;

    RuleRepository(Statements statements, ZoneRepository zones) {
        this.statements = statements;
        this.zones = zones;
        this.windowRows = statements.batch(INSERT_WINDOW);
        this.exceptionRows = statements.batch(INSERT_EXCEPTION);
    }

    /**
     * A rule as written; checked on construction. Zone rules name a zone ({@code zoneId}), proximity rules a victim
     * unit and a distance; 0 hysteresis values mean the engine's default. {@code schedule}: weekly windows in the
     * order's time zone (none = always active).
     */
    public record Rule(long orderId, String name, String kind, long zoneId, long victimDeviceId, double distanceM,
                       double warnDistanceM, double graceM, int openFixes, int openDwellS, int closeFixes, int closeDwellS,
                       boolean active, List<RuleRecord.Window> schedule, List<RuleRecord.Exception> exceptions) {
        public Rule {
            name = Checks.text("name", name, 200);
            kind = Checks.text("kind", kind, 16).toUpperCase(Locale.ROOT);
            if (!KINDS.contains(kind)) {
                throw RegistryRefusal.invalid("'kind' must be one of " + KINDS);
            }
            if (kind.equals("PROXIMITY") && victimDeviceId <= 0) {
                throw RegistryRefusal.invalid("'victimDeviceId' is required (an id)");
            }
            if (!kind.equals("PROXIMITY") && zoneId <= 0) {
                throw RegistryRefusal.invalid("'zoneId' is required (an id)");
            }
            Checks.range("distanceM", distanceM, 0, 100_000);
            Checks.range("warnDistanceM", warnDistanceM, 0, 100_000);
            Checks.range("graceM", graceM, 0, 10_000);
            if (kind.equals("PROXIMITY") && distanceM <= 0) {
                throw RegistryRefusal.invalid("a proximity rule needs 'distanceM' > 0");
            }
            Checks.range("openFixes", openFixes, 0, 100);
            Checks.range("openDwellS", openDwellS, 0, 86_400);
            Checks.range("closeFixes", closeFixes, 0, 100);
            Checks.range("closeDwellS", closeDwellS, 0, 86_400);
            schedule = schedule == null ? List.of() : List.copyOf(schedule);
            if (schedule.size() > 100) {
                throw RegistryRefusal.invalid("'schedule' must be an array of at most 100 weekly windows");
            }
            exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
        }
    }

    /** A dated exception: {@code action} "add" (an extra window) or "remove" (an approved absence), with its reason. */
    public static RuleRecord.Exception exception(LocalDate date, LocalTime start, LocalTime end, String action, String reason) {
        if (!"add".equals(action) && !"remove".equals(action)) {
            throw RegistryRefusal.invalid("'action' must be 'add' (an extra window) or 'remove' (an approved absence)");
        }
        return new RuleRecord.Exception(Checks.required("date", date), Checks.required("start", start),
                Checks.required("end", end), action.equals("add"), Checks.text("reason", reason, 500));
    }

    /** Inserts a new rule of an order of agency {@code agencyId} with its schedule and exceptions. */
    public long create(long agencyId, Rule r) throws SQLException {
        checkReferences(agencyId, r);
        long id = statements.id(INSERT + " returning id", args(r));
        for (RuleRecord.Window w : r.schedule()) {
            windowRows.add("schedule window " + w, id, w.day().getValue(), w.start(), w.end());
        }
        for (RuleRecord.Exception e : r.exceptions()) {
            exceptionRows.add("exception " + e, exceptionArgs(id, e));
        }
        windowRows.flush();
        exceptionRows.flush();
        return id;
    }

    /**
     * Inserts or updates the rule of that name in its order, and makes its schedule and exceptions those given while
     * leaving identical rows untouched, so a repeated import changes no row and no id. Schedule and exception rows go
     * in batches, sent when full or by {@link RegistryWrites#flush()}.
     */
    public long upsert(long agencyId, Rule r) throws SQLException {
        checkReferences(agencyId, r);
        long id = statements.id(INSERT + """
                 on conflict (order_id, name) do update set kind = excluded.kind, zone_id = excluded.zone_id,
                    victim_device_id = excluded.victim_device_id, distance_m = excluded.distance_m,
                    warn_distance_m = excluded.warn_distance_m, grace_m = excluded.grace_m,
                    open_fixes = excluded.open_fixes, open_dwell_s = excluded.open_dwell_s,
                    close_fixes = excluded.close_fixes, close_dwell_s = excluded.close_dwell_s,
                    active = excluded.active returning id""", args(r));
        List<String> windows = new ArrayList<>();
        for (RuleRecord.Window w : r.schedule()) {
            windows.add(w.day().getValue() + "|" + w.start() + "|" + w.end());
        }
        syncRows(id, windows, "select id, weekday || '|' || to_char(start_time, 'HH24:MI') || '|' "
                + "|| to_char(end_time, 'HH24:MI') from schedules where rule_id = ?", "delete from schedules where id = ?",
                key -> {
                    String[] p = key.split("\\|");
                    windowRows.add("rule '" + r.name() + "' schedule " + key,
                            id, Integer.parseInt(p[0]), LocalTime.parse(p[1]), LocalTime.parse(p[2]));
                });
        List<String> exceptions = new ArrayList<>();
        for (RuleRecord.Exception e : r.exceptions()) {
            exceptions.add(e.date() + "|" + e.start() + "|" + e.end() + "|" + (e.add() ? "add" : "remove") + "|" + e.reason());
        }
        syncRows(id, exceptions, "select id, on_date || '|' || to_char(start_time, 'HH24:MI') || '|' "
                + "|| to_char(end_time, 'HH24:MI') || '|' || action || '|' || reason from schedule_exceptions "
                + "where rule_id = ?", "delete from schedule_exceptions where id = ?",
                key -> {
                    String[] p = key.split("\\|", 5);
                    exceptionRows.add("rule '" + r.name() + "' exception " + key, id, LocalDate.parse(p[0]),
                            LocalTime.parse(p[1]), LocalTime.parse(p[2]), p[3], p[4]);
                });
        return id;
    }

    /** Adds a dated exception to rule {@code ruleId}; answers its id. */
    public long addException(long ruleId, RuleRecord.Exception e) throws SQLException {
        return statements.id(INSERT_EXCEPTION + " returning id", exceptionArgs(ruleId, e));
    }

    /** Stops evaluating rule {@code ruleId}; the rule stays for the record. */
    public void deactivate(long ruleId) throws SQLException {
        statements.update("update rules set active = false where id = ?", ruleId);
    }

    private void checkReferences(long agencyId, Rule r) throws SQLException {
        if (r.zoneId() != 0 && zones.agencyOf(r.zoneId()) != agencyId) {
            throw RegistryRefusal.notFound("zone");
        }
        if (r.victimDeviceId() != 0) {
            switch (VictimUnits.check(statements.connection(), r.victimDeviceId(), agencyId)) {
                case NOT_FOUND -> throw RegistryRefusal.notFound("victim device", "not a victim unit of this agency");
                case NOT_A_VICTIM_UNIT -> throw RegistryRefusal.invalid(
                        "'victimDeviceId' must be a device with the role VICTIM_UNIT");
                default -> { }
            }
        }
    }

    private static Object[] args(Rule r) {
        return new Object[] {r.orderId(), r.name(), r.kind(), r.zoneId() == 0 ? null : r.zoneId(),
                r.victimDeviceId() == 0 ? null : r.victimDeviceId(), r.distanceM(), r.warnDistanceM(), r.graceM(),
                r.openFixes(), r.openDwellS(), r.closeFixes(), r.closeDwellS(), r.active()};
    }

    private static Object[] exceptionArgs(long ruleId, RuleRecord.Exception e) {
        return new Object[] {ruleId, e.date(), e.start(), e.end(), e.add() ? "add" : "remove", e.reason()};
    }

    /** Makes a rule's child rows equal to {@code wanted} (rows as keys), deleting stale rows and adding missing ones. */
    private void syncRows(long ruleId, List<String> wanted, String selectKeys, String deleteById, RowInsert insert)
            throws SQLException {
        List<String> missing = new ArrayList<>(wanted);
        List<Long> stale = new ArrayList<>();
        try (ResultSet rs = statements.bind(selectKeys, ruleId).executeQuery()) {
            while (rs.next()) {
                if (!missing.remove(rs.getString(2))) {
                    stale.add(rs.getLong(1));
                }
            }
        }
        for (long id : stale) {
            statements.update(deleteById, id);
        }
        for (String key : missing) {
            insert.insert(key);
        }
    }

    /** Inserts one child row described by its key. */
    private interface RowInsert {
        void insert(String key) throws SQLException;
    }
}
