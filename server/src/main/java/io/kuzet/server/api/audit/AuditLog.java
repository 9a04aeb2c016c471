package io.kuzet.server.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
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
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, keyed, chained audit log (table {@code audit_log}; its trigger refuses updates and deletes).
 * Each entry's link ({@code hash}) is {@code HMAC-SHA256(key, prev_hash || canonical(entry))} where the canonical
 * form is
 *
 * <pre>
 * at (epoch microseconds) | user_id (0 = system) | action | subject_id (0 = none) | purpose | details | before | after
 * </pre>
 *
 * joined with {@code '\n'} (JSON as PostgreSQL's jsonb text, an absent before/after as the empty string); the first
 * entry's previous link is 32 zero bytes. The key lives outside the database ({@link AuditKey}), so whoever owns the
 * table can still edit rows but cannot recompute the links: {@link #verify} reports the first entry whose link does
 * not verify with the key. Entries written before the chain was keyed (plain {@code SHA-256(prev || canonical)}
 * without before/after) are accepted only as a prefix sealed by a keyed entry.
 *
 * <p>Appends take a transaction-scoped advisory lock so the chain stays linear across connections and servers, and
 * run in the caller's transaction so the audited action and its entry commit together. Thread-safe. Cost: one lock,
 * three small queries per entry; {@link #verify} reads the whole table once.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Advisory lock key serialising appends ("kuzet-audit"). */
    private static final long LOCK_KEY = 0x6b757a6574_4175L;
    private static final byte[] GENESIS = new byte[32];
    /** Columns never copied into before/after values. */
    private static final Set<String> SECRET_COLUMNS = Set.of("password_hash", "secret_key");

    private final Supplier<Instant> clock;
    private final SecretKeySpec key;

    /** @param key the chain key (32 bytes from {@link AuditKey}); never stored in the database */
    public AuditLog(Supplier<Instant> clock, byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the audit key must have at least 128 bits");
        }
        this.clock = clock;
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /**
     * The audit log of a server with this data directory: the key from {@code KUZET_AUDIT_KEY} or the data
     * directory's key file (created now at the first start, which also seals entries written before the chain was
     * keyed). Cost: a file read, at startup.
     */
    public static AuditLog open(Path dataDir, Supplier<Instant> clock, DataSource dataSource) throws SQLException {
        AuditKey key = AuditKey.load(dataDir, System.getenv(AuditKey.ENV));
        AuditLog log = new AuditLog(clock, key.bytes());
        if (key.created()) {
            LOG.info("audit chain key created in {}; back it up with the database, the chain cannot be verified without it",
                    key.source());
            log.sealUnkeyedPrefix(dataSource);
        }
        return log;
    }

    /**
     * Appends one entry inside the caller's open transaction ({@code c} must not be in auto-commit).
     *
     * @param subjectId the subject whose data was read or acted on, 0 = none
     * @param purpose   why (required for exports), may be null
     */
    public void append(Connection c, Principal who, String action, long subjectId, String purpose, ObjectNode details)
            throws SQLException {
        append(c, who, action, subjectId, purpose, details, null, null);
    }

    /**
     * A change of one record: {@code details} names the table and id, {@code before}/{@code after} hold the row as
     * it was and is (null for a creation or deletion). Inside the caller's open transaction.
     */
    public void change(Connection c, Principal who, String action, long subjectId, String table, long id, JsonNode before,
                       JsonNode after) throws SQLException {
        append(c, who, action, subjectId, null, Json.object().put("table", table).put("id", Long.toString(id)), before, after);
    }

    /** As {@link #append(Connection, Principal, String, long, String, ObjectNode)} with the values before and after. */
    public void append(Connection c, Principal who, String action, long subjectId, String purpose, ObjectNode details,
                       JsonNode before, JsonNode after) throws SQLException {
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
        String beforeText;
        String afterText;
        try (PreparedStatement norm = c.prepareStatement("select ?::jsonb::text, ?::jsonb::text, ?::jsonb::text")) {
            norm.setString(1, Json.write(details == null ? Json.object() : details));
            norm.setString(2, before == null ? null : Json.write(before));
            norm.setString(3, after == null ? null : Json.write(after));
            try (ResultSet rs = norm.executeQuery()) {
                rs.next();
                detailsText = rs.getString(1);
                beforeText = rs.getString(2);
                afterText = rs.getString(3);
            }
        }
        Instant at = clock.get().truncatedTo(ChronoUnit.MICROS);
        long userId = who == null ? 0 : who.userId();
        byte[] link = mac(prev, canonical(at, userId, action, subjectId, purpose, detailsText, beforeText, afterText));
        try (PreparedStatement ps = c.prepareStatement("""
                insert into audit_log (at, user_id, action, subject_id, purpose, details, before, after, prev_hash, hash)
                values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)""")) {
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
            ps.setString(7, beforeText);
            ps.setString(8, afterText);
            ps.setBytes(9, prev);
            ps.setBytes(10, link);
            ps.executeUpdate();
        }
    }

    /** Appends one entry in a transaction of its own. */
    public void append(DataSource dataSource, Principal who, String action, long subjectId, String purpose, ObjectNode details)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            inTransaction(c, tx -> {
                append(tx, who, action, subjectId, purpose, details);
                return null;
            });
        }
    }

    /**
     * One row of {@code table} as JSON (PostgreSQL's {@code to_jsonb}) without secret columns (password hashes,
     * device keys), or null when there is no such row. {@code table} is a constant of the caller, never input.
     */
    public static JsonNode row(Connection c, String table, long id) throws SQLException {
        StringBuilder sql = new StringBuilder("select (to_jsonb(t)");
        for (String secret : SECRET_COLUMNS) {
            sql.append(" - '").append(secret).append('\'');
        }
        sql.append(")::text from ").append(table).append(" t where id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Json.MAPPER.readTree(rs.getString(1)) : null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("PostgreSQL returned invalid JSON for " + table, e);
            }
        }
    }

    /** Work on a connection that runs in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction on {@code c}: commits on return, rolls back on failure, restores auto-commit. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Seals entries written before the chain was keyed: when the newest entry is a plain SHA-256 link, appends
     * {@code AUDIT_CHAIN_KEYED} whose keyed link covers it, so the old prefix can no longer be rebuilt unnoticed.
     * Call only when the key was created now (its first use); returns true when a seal was written.
     */
    public boolean sealUnkeyedPrefix(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, tx -> {
                try (PreparedStatement lock = tx.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, LOCK_KEY);
                    lock.execute();
                }
                long count;
                try (PreparedStatement ps = tx.prepareStatement("""
                        select id, at, coalesce(user_id, 0), action, coalesce(subject_id, 0), purpose, details::text, prev_hash, hash,
                               before::text, after::text, (select count(*) from audit_log)
                        from audit_log order by id desc limit 1""");
                     ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !isLegacyLink(rs)) {
                        return false;
                    }
                    count = rs.getLong(12);
                }
                append(tx, null, "AUDIT_CHAIN_KEYED", 0, null, Json.object().put("unkeyedEntries", count));
                LOG.info("audit chain: {} entries written before the chain was keyed are sealed by a keyed entry", count);
                return true;
            });
        }
    }

    /** Walks the chain from the first entry; the result names the first entry that does not verify. */
    public Verification verify(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, at, coalesce(user_id, 0), action, coalesce(subject_id, 0), purpose, details::text, prev_hash, hash,
                            before::text, after::text
                     from audit_log order by id""")) {
            ps.setFetchSize(1000);
            c.setAutoCommit(false);
            byte[] expectedPrev = GENESIS;
            long count = 0;
            long firstId = 0;
            boolean keyed = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (firstId == 0) {
                        firstId = id;
                    }
                    byte[] prev = rs.getBytes(8);
                    byte[] stored = rs.getBytes(9);
                    if (!MessageDigest.isEqual(prev, expectedPrev)) {
                        c.commit();
                        return new Verification(false, count, id, "prev_hash does not match the link of the entry before");
                    }
                    byte[] recomputed = mac(prev, canonical(rs));
                    if (MessageDigest.isEqual(recomputed, stored)) {
                        keyed = true;
                    } else if (keyed || !isLegacyLink(rs)) {
                        c.commit();
                        return new Verification(false, count, id,
                                "the link does not verify with the audit key: the entry was edited or the chain rebuilt without the key");
                    }
                    expectedPrev = stored;
                    count++;
                }
            }
            c.commit();
            if (count > 0 && !keyed) {
                return new Verification(false, 0, firstId,
                        "no entry is linked with the audit key: the chain was rebuilt without the key (or the key was replaced)");
            }
            return new Verification(true, count, 0, null);
        }
    }

    /** True when the current row is a valid plain SHA-256 link of the unkeyed format (no before/after). */
    private static boolean isLegacyLink(ResultSet rs) throws SQLException {
        if (rs.getString(10) != null || rs.getString(11) != null) {
            return false;
        }
        String legacy = legacyCanonical(rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getString(7));
        return MessageDigest.isEqual(sha256(rs.getBytes(8), legacy), rs.getBytes(9));
    }

    private static String canonical(ResultSet rs) throws SQLException {
        return canonical(rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                rs.getString(7), rs.getString(10), rs.getString(11));
    }

    static String canonical(Instant at, long userId, String action, long subjectId, String purpose, String details,
                            String before, String after) {
        return legacyCanonical(at, userId, action, subjectId, purpose, details) + "\n" + (before == null ? "" : before)
                + "\n" + (after == null ? "" : after);
    }

    static String legacyCanonical(Instant at, long userId, String action, long subjectId, String purpose, String details) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        return micros + "\n" + userId + "\n" + action + "\n" + subjectId + "\n" + (purpose == null ? "" : purpose) + "\n" + details;
    }

    private byte[] mac(byte[] prev, String canonical) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(prev);
            return hmac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] prev, String canonical) {
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
