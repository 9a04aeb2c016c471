package io.kuzet.server.registry;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The one write path for court orders, used by the API and the provisioning import. Not thread-safe (one per
 * {@link RegistryWrites}).
 */
public final class OrderRepository {
    /** Longest absence limit an order may set (30 days); 0 means the server default. */
    public static final int MAX_LIMIT_S = 30 * 86_400;
    private static final String INSERT = """
            insert into orders (subject_id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level,
                                no_communication_limit_s, no_fix_limit_s)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final Statements statements;

    OrderRepository(Statements statements) {
        this.statements = statements;
    }

    /** An order as written; checked on construction. {@code endsAt} null = open-ended. */
    public record Order(long subjectId, String legalReference, OrderKind kind, Instant startsAt, Instant endsAt,
                        ZoneId timeZone, RiskLevel riskLevel, int noCommunicationLimitS, int noFixLimitS) {
        public Order {
            legalReference = Checks.text("legalReference", legalReference, 200);
            Checks.required("kind", kind);
            Checks.required("startsAt", startsAt);
            Checks.required("timeZone", timeZone);
            Checks.required("riskLevel", riskLevel);
            if (endsAt != null && !endsAt.isAfter(startsAt)) {
                throw RegistryRefusal.invalid("'endsAt' must be after 'startsAt'");
            }
            Checks.range("noCommunicationLimitS", noCommunicationLimitS, 0, MAX_LIMIT_S);
            Checks.range("noFixLimitS", noFixLimitS, 0, MAX_LIMIT_S);
        }
    }

    /** The IANA time zone an order's schedules are read in. */
    public static ZoneId timeZone(String text) {
        try {
            return ZoneId.of(Checks.text("timeZone", text, 64));
        } catch (DateTimeException e) {
            throw RegistryRefusal.invalid("'timeZone' must be an IANA time zone such as Asia/Almaty, was '"
                    + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + "'");
        }
    }

    /** Inserts a new order; a legal reference in use is the database's unique violation. */
    public long create(Order o) throws SQLException {
        return statements.id(INSERT + " returning id", args(o));
    }

    /** Inserts or updates the order of that legal reference. */
    public long upsert(Order o) throws SQLException {
        return statements.id(INSERT + """
                 on conflict (legal_reference) do update set subject_id = excluded.subject_id, kind = excluded.kind,
                    starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone,
                    risk_level = excluded.risk_level, no_communication_limit_s = excluded.no_communication_limit_s,
                    no_fix_limit_s = excluded.no_fix_limit_s returning id""", args(o));
    }

    /** Ends monitoring under the order at {@code at}, which must be after its start. */
    public void end(long orderId, Instant at) throws SQLException {
        Timestamp end = Timestamp.from(at);
        if (statements.update("update orders set ends_at = ? where id = ? and starts_at < ?", end, orderId, end) == 0) {
            throw RegistryRefusal.invalid("'endsAt' must be after the order's start");
        }
    }

    private static Object[] args(Order o) {
        return new Object[] {o.subjectId(), o.legalReference(), o.kind().name(), Timestamp.from(o.startsAt()),
                o.endsAt() == null ? null : Timestamp.from(o.endsAt()), o.timeZone().getId(), o.riskLevel().name(),
                o.noCommunicationLimitS(), o.noFixLimitS()};
    }
}
