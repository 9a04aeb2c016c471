package io.kuzet.server.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one check for the victim unit of a proximity rule, used by the API and the provisioning importer alike. A
 * proximity alert says how far the subject is from the victim unit, so the unit must belong to the agency of the
 * rule's order: it must exist, must not be assigned to a subject of another agency, and must not be the victim unit
 * of another agency's rule (the first rule naming an unassigned unit ties it to that agency). Then it must have the
 * role {@code VICTIM_UNIT}. Stateless, thread-safe; two indexed queries.
 */
public final class VictimUnits {
    /** The outcome of {@link #check}. */
    public enum Problem {
        /** The unit may be used by rules of this agency. */
        NONE,
        /** No such device, or it belongs to another agency: callers answer exactly as for a missing id. */
        NOT_FOUND,
        /** The device belongs to the agency but is a bracelet or a beacon. */
        NOT_A_VICTIM_UNIT
    }

    private VictimUnits() {
    }

    public static Problem check(Connection c, long deviceId, long agencyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select d.role,
                       exists (select 1 from device_assignments a join subjects s on s.id = a.subject_id
                               where a.device_id = d.id and a.unassigned_at is null and s.agency_id <> ?),
                       exists (select 1 from rules r join orders o on o.id = r.order_id join subjects s on s.id = o.subject_id
                               where r.victim_device_id = d.id and s.agency_id <> ?)
                from devices d where d.id = ?""")) {
            ps.setLong(1, agencyId);
            ps.setLong(2, agencyId);
            ps.setLong(3, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBoolean(2) || rs.getBoolean(3)) {
                    return Problem.NOT_FOUND;
                }
                return DeviceRole.VICTIM_UNIT.name().equals(rs.getString(1)) ? Problem.NONE : Problem.NOT_A_VICTIM_UNIT;
            }
        }
    }
}
