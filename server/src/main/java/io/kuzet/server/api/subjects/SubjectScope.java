package io.kuzet.server.api.subjects;

import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.http.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Agency scoping for ids taken from requests: each lookup answers the owning agency when the caller may see the
 * record and 404 otherwise, so a foreign id cannot be told apart from a missing one. Stateless, thread-safe; one
 * indexed query per check.
 */
public final class SubjectScope {
    private SubjectScope() {
    }

    public static long subjectAgency(Connection c, Principal p, long subjectId) throws SQLException {
        return agencyOf(c, p, "select agency_id from subjects where id = ?", subjectId, "subject");
    }

    /** The subject of a visible order. */
    public static long orderSubject(Connection c, Principal p, long orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select o.subject_id, s.agency_id from orders o join subjects s on s.id = o.subject_id where o.id = ?")) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !p.sees(rs.getLong(2))) {
                    throw ApiException.notFound("order");
                }
                return rs.getLong(1);
            }
        }
    }

    public static long zoneAgency(Connection c, Principal p, long zoneId) throws SQLException {
        return agencyOf(c, p, "select agency_id from zones where id = ?", zoneId, "zone");
    }

    /** The agency a new record goes to: the caller's, or the one a platform user names. */
    public static long targetAgency(Principal p, long requested) {
        if (p.allAgencies()) {
            if (requested == 0) {
                throw ApiException.badRequest("'agencyId' is required for users without an agency");
            }
            return requested;
        }
        if (requested != 0 && requested != p.agencyId()) {
            throw ApiException.notFound("agency");
        }
        return p.agencyId();
    }

    private static long agencyOf(Connection c, Principal p, String sql, long id, String what) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !p.sees(rs.getLong(1))) {
                    throw ApiException.notFound(what);
                }
                return rs.getLong(1);
            }
        }
    }
}
