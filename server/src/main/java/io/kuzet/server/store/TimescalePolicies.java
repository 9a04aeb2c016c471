package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Applies the configured compression age to the TimescaleDB hypertables at every start, replacing the previous
 * policy so a changed setting takes effect. Retention is not a TimescaleDB policy: a policy would drop chunks under
 * legal hold, so {@link RetentionJob} drops chunks itself. Stateless; a few statements per start.
 */
final class TimescalePolicies {
    private TimescalePolicies() {
    }

    static void apply(DataSource dataSource, DatabaseSettings settings) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String table : new String[] {"positions", "device_events"}) {
                try (PreparedStatement remove = c.prepareStatement("select remove_compression_policy(?::regclass, if_exists => true)")) {
                    remove.setString(1, table);
                    remove.execute();
                }
                try (PreparedStatement add = c.prepareStatement("select add_compression_policy(?::regclass, make_interval(days => ?))")) {
                    add.setString(1, table);
                    add.setInt(2, settings.compressAfterDays());
                    add.execute();
                }
            }
        }
    }
}
