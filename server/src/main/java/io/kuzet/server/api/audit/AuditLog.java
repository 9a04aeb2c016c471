package io.kuzet.server.api.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The append-only, hash-chained audit log (table {@code audit_log}; its trigger refuses updates and deletes).
 * Each entry's hash is {@code SHA-256(prev_hash || canonical(entry))} where the canonical form is
 *
 * <pre>
 * at (epoch microseconds) | user_id (0 = system) | action | subject_id (0 = none) | purpose | details (jsonb text)
 * </pre>
 *
 * joined with {@code '\n'}; the first entry's previous hash is 32 zero bytes. Appends take a transaction-scoped
 * advisory lock so the chain stays linear across connections and servers, and run in the caller's transaction so
 * the audited action and its entry commit together. Thread-safe. Cost: one lock, two small queries per entry;
 * {@link #verify} reads the whole table once.
 */
public final class AuditLog {
    /** Advisory lock key serialising appends ("kuzet-audit"). */
    private static final long LOCK_KEY = 0x6b757a6574_4175L;
    private static final byte[] GENESIS = new byte[32];

    private final Supplier<Instant> clock;

    public AuditLog(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /**
     * Appends one entry inside the caller's open transaction ({@code c} must not be in auto-commit).
     *
     * @param subjectId the subject whose data was read or acted on, 0 = none
     * @param purpose   why (required for exports), may be null
     */
    public void append(Connection c, Principal who, String action, long subjectId, String purpose, ObjectNode details)
            throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("audit entries are appended inside the caller's transaction");
        }
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            lock.execute();
        }
        byte[] prev = GENESIS;
        try (PreparedStatement last = c.prepareStatement("select hash from audit_log order by id desc limit 1");
             ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                prev = rs.getBytes(1);
            }
        }
        String detailsText;
        try (PreparedStatement norm = c.prepareStatement("select ?::jsonb::text")) {
            norm.setString(1, Json.write(details == null ? Json.object() : details));
            try (ResultSet rs = norm.executeQuery()) {
                rs.next();
                detailsText = rs.getString(1);
            }
        }
        Instant at = clock.get().truncatedTo(ChronoUnit.MICROS);
        long userId = who == null ? 0 : who.userId();
        byte[] hash = hash(prev, canonical(at, userId, action, subjectId, purpose, detailsText));
        try (PreparedStatement ps = c.prepareStatement("""
                insert into audit_log (at, user_id, action, subject_id, purpose, details, prev_hash, hash)
                values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")) {
            ps.setTimestamp(1, Timestamp.from(at));
            if (userId == 0) {
                ps.setNull(2, java.sql.Types.BIGINT);
            } else {
                ps.setLong(2, userId);
            }
            ps.setString(3, action);
            if (subjectId == 0) {
                ps.setNull(4, java.sql.Types.BIGINT);
            } else {
                ps.setLong(4, subjectId);
            }
            ps.setString(5, purpose);
            ps.setString(6, detailsText);
            ps.setBytes(7, prev);
            ps.setBytes(8, hash);
            ps.executeUpdate();
        }
    }

    /** Appends one entry in a transaction of its own. */
    public void append(DataSource dataSource, Principal who, String action, long subjectId, String purpose, ObjectNode details)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                append(c, who, action, subjectId, purpose, details);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Walks the chain from the first entry; the result names the first entry that does not verify. */
    public Verification verify(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, at, coalesce(user_id, 0), action, coalesce(subject_id, 0), purpose, details::text, prev_hash, hash
                     from audit_log order by id""")) {
            ps.setFetchSize(1000);
            c.setAutoCommit(false);
            byte[] expectedPrev = GENESIS;
            long count = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    byte[] prev = rs.getBytes(8);
                    byte[] stored = rs.getBytes(9);
                    if (!MessageDigest.isEqual(prev, expectedPrev)) {
                        c.commit();
                        return new Verification(false, count, id, "prev_hash does not match the hash of the entry before");
                    }
                    byte[] recomputed = hash(prev, canonical(rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7)));
                    if (!MessageDigest.isEqual(recomputed, stored)) {
                        c.commit();
                        return new Verification(false, count, id, "content does not match its hash");
                    }
                    expectedPrev = stored;
                    count++;
                }
            }
            c.commit();
            return new Verification(true, count, 0, null);
        }
    }

    static String canonical(Instant at, long userId, String action, long subjectId, String purpose, String details) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        return micros + "\n" + userId + "\n" + action + "\n" + subjectId + "\n" + (purpose == null ? "" : purpose) + "\n" + details;
    }

    static byte[] hash(byte[] prev, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev);
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome of {@link #verify}: {@code brokenAtId} is 0 when the chain is intact. */
    public record Verification(boolean intact, long entriesVerified, long brokenAtId, String problem) {
        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("intact", intact).put("entriesVerified", entriesVerified);
            if (!intact) {
                n.put("brokenAtId", Long.toString(brokenAtId)).put("problem", problem);
            }
            return n;
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
