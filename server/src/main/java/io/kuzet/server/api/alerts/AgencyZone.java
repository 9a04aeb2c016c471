package io.kuzet.server.api.alerts;

import io.kuzet.server.api.auth.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The time zone an agency's people read times in ({@code agencies.time_zone}); platform users without an agency,
 * and agencies without a valid zone, read {@link #DEFAULT}. Stateless.
 */
public final class AgencyZone {
    public static final String DEFAULT = "Asia/Almaty";
    /** Times as the console shows them: to the second, with the zone named. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private AgencyZone() {
    }

    /** The zone of the caller's agency, or of {@code agencyId} for a platform user who names one (0 = none). */
    public static String of(DataSource dataSource, Principal p, long agencyId) throws SQLException {
        long agency = p.allAgencies() ? agencyId : p.agencyId();
        if (agency == 0) {
            return DEFAULT;
        }
        try (Connection c = dataSource.getConnection()) {
            return of(c, agency);
        }
    }

    public static String of(Connection c, long agencyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select time_zone from agencies where id = ?")) {
            ps.setLong(1, agencyId);
            try (ResultSet rs = ps.executeQuery()) {
                String zone = rs.next() ? rs.getString(1) : null;
                return zone != null && ZoneId.getAvailableZoneIds().contains(zone) ? zone : DEFAULT;
            }
        }
    }

    /** {@code 2026-05-01 10:00:00 Asia/Almaty}; empty for null. */
    public static String format(Instant t, String zone) {
        return t == null ? "" : LOCAL.format(t.atZone(ZoneId.of(zone))) + " " + zone;
    }
}
