package io.kuzet.server.api.auth;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: when no user exists, creates the platform admin {@code admin} (no agency) with the configured
 * password, or with a generated one that is logged once. Never touches an existing user. Run once at startup.
 */
public final class BootstrapAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
    public static final String USERNAME = "admin";

    private BootstrapAdmin() {
    }

    /** Returns true when the admin was created now. */
    public static boolean ensure(DataSource dataSource, PasswordHasher hasher, String configuredPassword) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("lock table users in share row exclusive mode");
                 PreparedStatement count = c.prepareStatement("select count(*) from users")) {
                lock.execute();
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        c.commit();
                        return false;
                    }
                }
                boolean generated = configuredPassword == null || configuredPassword.isBlank();
                String password = generated ? generate() : configuredPassword;
                try (PreparedStatement insert = c.prepareStatement(
                        "insert into users (username, password_hash, role, agency_id) values (?, ?, 'admin', null)")) {
                    insert.setString(1, USERNAME);
                    insert.setString(2, hasher.hash(password));
                    insert.executeUpdate();
                }
                c.commit();
                if (generated) {
                    LOG.warn("created the first API user '{}' with the generated password {} (set KUZET_API_ADMIN_PASSWORD to choose it;"
                            + " change it after the first login)", USERNAME, password);
                } else {
                    LOG.info("created the first API user '{}' with the configured password", USERNAME);
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String generate() {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
