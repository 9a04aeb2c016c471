package io.kuzet.server.api.auth;

import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.config.SecretFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: when no user exists, creates the platform admin {@code admin} (no agency) with the configured
 * password, or with a generated one written once to {@code <dataDir>/secrets/admin-password} (owner-only, 0600; the
 * log says where, never what) that must be changed at the first login. Never touches an existing user. The creation
 * is audited. Run once at startup.
 */
public final class BootstrapAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
    public static final String USERNAME = "admin";
    static final String PASSWORD_FILE = "admin-password";

    private BootstrapAdmin() {
    }

    /** Returns true when the admin was created now. */
    public static boolean ensure(DataSource dataSource, PasswordHasher hasher, String configuredPassword, Path dataDir,
                                 AuditLog audit) throws SQLException {
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
                long id;
                try (PreparedStatement insert = c.prepareStatement("""
                        insert into users (username, password_hash, role, agency_id, must_change_password)
                        values (?, ?, 'admin', null, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    insert.setString(1, USERNAME);
                    insert.setString(2, hasher.hash(password));
                    insert.setBoolean(3, generated);
                    insert.executeUpdate();
                    id = UserRoutes.generatedId(insert);
                }
                audit.change(c, null, "USER_CREATED", 0, "users", id, null, AuditLog.row(c, "users", id));
                Path file = generated ? writePasswordFile(dataDir, password) : null;
                c.commit();
                if (generated) {
                    LOG.warn("created the first API user '{}' with a generated one-time password, written to {} (owner-only);"
                            + " it must be changed at the first login, then delete the file. Set KUZET_API_ADMIN_PASSWORD to"
                            + " choose it instead", USERNAME, file);
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

    private static Path writePasswordFile(Path dataDir, String password) {
        try {
            // a file left from an earlier database is stale: this password is the only one that works now
            Files.deleteIfExists(SecretFile.dir(dataDir).resolve(PASSWORD_FILE));
            return SecretFile.writeNew(dataDir, PASSWORD_FILE, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated admin password under " + SecretFile.dir(dataDir), e);
        }
    }

    private static String generate() {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
