package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;

/**
 * positions and device_events keep one index each, by subject and time, which every query uses; no primary key that
 * every stored row would also have to enter. A database laid out before migration 36 (with the keys) loses them.
 */
class TimeSeriesKeysMigrationTest {
    private static final String SCHEMA = "kuzet_keys_test";

    @Test
    void migratedSchemaHasOnlyTheSubjectTimeIndexes() throws SQLException {
        try (Connection c = SharedPostgres.database().dataSource().getConnection()) {
            assertEquals(List.of("positions_subject_time"), parentIndexes(c, "public", "positions"));
            assertEquals(List.of("device_events_subject_time"), parentIndexes(c, "public", "device_events"));
        }
    }

    @Test
    void schemaLaidOutBeforeMigration36LosesItsPrimaryKeys() throws SQLException {
        try (Connection c = SharedPostgres.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
            s.execute("create schema " + SCHEMA);
            try {
                s.execute("set search_path to " + SCHEMA);
                for (String sql : TimeSeriesMigration.PLAIN) {
                    s.execute(sql);
                }
                for (String sql : TimeSeriesMigration.INDEXES) {
                    s.execute(sql);
                }
                // the keys version 2 used to create
                s.execute("alter table positions add primary key (device_id, fix_time, journal_index)");
                s.execute("alter table device_events add primary key (device_id, event_time, journal_index, event_type)");
                s.execute("create table positions_20260210 partition of positions for values from ('2026-02-10') to ('2026-02-11')");
                assertEquals(List.of("positions_pkey", "positions_subject_time"), parentIndexes(c, SCHEMA, "positions"));

                c.setAutoCommit(false);
                new TimeSeriesKeysMigration().migrate(context(c));
                c.commit();
                c.setAutoCommit(true);

                assertEquals(List.of("positions_subject_time"), parentIndexes(c, SCHEMA, "positions"));
                assertEquals(List.of("device_events_subject_time"), parentIndexes(c, SCHEMA, "device_events"));
                assertEquals(1, count(s, "select count(*) from pg_indexes where schemaname = '" + SCHEMA
                        + "' and tablename = 'positions_20260210'"), "the partition keeps only the subject index");
                new TimeSeriesKeysMigration().migrate(context(c)); // idempotent
            } finally {
                c.setAutoCommit(true);
                s.execute("set search_path to default");
                s.execute("drop schema " + SCHEMA + " cascade");
            }
        }
    }

    private static List<String> parentIndexes(Connection c, String schema, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select indexname from pg_indexes where schemaname = '"
                + schema + "' and tablename = '" + table + "' order by indexname")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Context context(Connection c) {
        return new Context() {
            @Override
            public Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return c;
            }
        };
    }
}
