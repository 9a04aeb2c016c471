package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * How positions and device events are kept: TimescaleDB hypertables, or native daily range partitions.
 *
 * <p>The flavour is read from the tables, never from the extension: a database migrated plain keeps partitioned
 * tables when TimescaleDB is installed later, and only {@code kuzet convert-to-timescaledb}
 * ({@link TimeSeriesConversion}) turns them into hypertables.
 */
public enum SchemaFlavour {
    /** Hypertables with 1-day chunks, compression and a continuous aggregate. */
    TIMESCALEDB,
    /** Native range partitioning by day, maintained by {@link PartitionMaintenance}. */
    PLAIN_POSTGRESQL;

    /** The flavour of the time-series tables of {@code dataSource}'s current schema. */
    static SchemaFlavour detect(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return detect(c, timescaleInstalled(c));
        }
    }

    /**
     * The flavour of {@code positions} and {@code device_events} in the current schema. A partitioned table is plain
     * whatever {@code timescaleInstalled} says; the TimescaleDB catalog is consulted (so the extension must really
     * be installed) only for an ordinary table.
     *
     * @throws IllegalStateException when the two tables differ or a table is neither partitioned nor a hypertable
     */
    static SchemaFlavour detect(Connection c, boolean timescaleInstalled) throws SQLException {
        SchemaFlavour positions = tableFlavour(c, "positions", timescaleInstalled);
        SchemaFlavour events = tableFlavour(c, "device_events", timescaleInstalled);
        if (positions != events) {
            throw new IllegalStateException("positions is " + positions + " but device_events is " + events
                    + "; convert both (kuzet convert-to-timescaledb) or restore the schema");
        }
        return positions;
    }

    private static SchemaFlavour tableFlavour(Connection c, String table, boolean timescaleInstalled) throws SQLException {
        String relkind;
        try (PreparedStatement s = c.prepareStatement("select c.relkind::text from pg_class c "
                + "where c.oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(?))")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("table " + table + " does not exist in the current schema");
                }
                relkind = rs.getString(1);
            }
        }
        if ("p".equals(relkind)) {
            return PLAIN_POSTGRESQL;
        }
        if (timescaleInstalled && isHypertable(c, table)) {
            return TIMESCALEDB;
        }
        throw new IllegalStateException("table " + table + " is neither partitioned by day nor a TimescaleDB hypertable "
                + "(relkind " + relkind + ")");
    }

    private static boolean isHypertable(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from timescaledb_information.hypertables "
                + "where hypertable_schema = current_schema() and hypertable_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** True when the TimescaleDB extension is installed in the database (whatever the tables are). */
    static boolean timescaleInstalled(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1 from pg_extension where extname = 'timescaledb'")) {
            return rs.next();
        }
    }

    static boolean timescaleInstalled(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return timescaleInstalled(c);
        }
    }
}
