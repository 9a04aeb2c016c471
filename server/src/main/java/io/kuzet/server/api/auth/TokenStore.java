package io.kuzet.server.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Bearer tokens: 32 random bytes handed to the client once, stored only as their SHA-256 (table {@code api_tokens})
 * with an expiry, so a database dump yields no usable token. A token of a disabled user stops working at once.
 * Thread-safe; one indexed lookup per authenticated request.
 */
public final class TokenStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Duration lifetime;
    private final Supplier<Instant> clock;

    public TokenStore(DataSource dataSource, Duration lifetime, Supplier<Instant> clock) {
        this.dataSource = dataSource;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new token for the user; returns the token text and its expiry. */
    public Issued issue(long userId) throws SQLException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant expires = clock.get().plus(lifetime);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into api_tokens (token_hash, user_id, expires_at) values (?, ?, ?)")) {
            ps.setBytes(1, digest(token));
            ps.setLong(2, userId);
            ps.setTimestamp(3, Timestamp.from(expires));
            ps.executeUpdate();
        }
        return new Issued(token, expires);
    }

    /** The caller holding {@code token}, or null when it is unknown, expired or its user is disabled. */
    public Principal authenticate(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select u.id, u.username, u.role, coalesce(u.agency_id, 0), u.must_change_password
                     from api_tokens t join users u on u.id = t.user_id
                     where t.token_hash = ? and t.expires_at > ? and not u.disabled""")) {
            ps.setBytes(1, digest(token));
            ps.setTimestamp(2, Timestamp.from(clock.get()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Principal(rs.getLong(1), rs.getString(2), Role.fromDb(rs.getString(3)), rs.getLong(4),
                        rs.getBoolean(5)) : null;
            }
        }
    }

    public void revoke(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from api_tokens where token_hash = ?")) {
            ps.setBytes(1, digest(token));
            ps.executeUpdate();
        }
    }

    /**
     * Revokes every token of the user except {@code keepToken} (null = all); returns how many. Disabling a user, a
     * role change, a reset and a password change end the user's other sessions this way.
     */
    public int revokeAllOf(Connection c, long userId, String keepToken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from api_tokens where user_id = ? and token_hash <> ?")) {
            ps.setLong(1, userId);
            ps.setBytes(2, keepToken == null ? new byte[0] : digest(keepToken));
            return ps.executeUpdate();
        }
    }

    /** Deletes expired tokens; returns how many. */
    public int purgeExpired() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from api_tokens where expires_at <= ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.get()));
            return ps.executeUpdate();
        }
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token as handed to the client. */
    public record Issued(String token, Instant expiresAt) {
    }
}
