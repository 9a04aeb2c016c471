package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The flavour comes from the tables, not from the extension: the detector is asked as if TimescaleDB were installed
 * (which, on a database migrated plain, is exactly the case that stopped the server) and still answers plain,
 * because the tables are partitioned. Runs on the embedded plain PostgreSQL of every build.
 */
class SchemaFlavourTest {

    @Test
    void partitionedTablesArePlainEvenWhenTheExtensionIsReportedInstalled() throws Exception {
        Database db = SharedPostgres.database();
        try (Connection c = db.dataSource().getConnection()) {
            assertFalse(SchemaFlavour.timescaleInstalled(c), "this build's PostgreSQL has no TimescaleDB");
            assertEquals(SchemaFlavour.PLAIN_POSTGRESQL, SchemaFlavour.detect(c, true));
            assertEquals(SchemaFlavour.PLAIN_POSTGRESQL, SchemaFlavour.detect(c, false));
        }
        assertEquals(SchemaFlavour.PLAIN_POSTGRESQL, db.flavour());
    }

    @Test
    void tablesThatAreNeitherPartitionedNorHypertablesAreRefusedWithTheReason() throws Exception {
        try (Connection c = SharedPostgres.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists flavour_ordinary cascade");
            s.execute("create schema flavour_ordinary");
            try {
                s.execute("set search_path to flavour_ordinary");
                s.execute("create table positions (" + TimeSeriesMigration.POSITIONS_COLUMNS + ")");
                s.execute("create table device_events (" + TimeSeriesMigration.EVENTS_COLUMNS + ")");
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaFlavour.detect(c, false));
                assertTrue(e.getMessage().contains("neither partitioned by day nor a TimescaleDB hypertable"), e.getMessage());
            } finally {
                s.execute("set search_path to default");
                s.execute("drop schema flavour_ordinary cascade");
            }
        }
    }

    @Test
    void tablesOfDifferentLayoutsAreRefused() throws SQLException {
        try (Connection c = SharedPostgres.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists flavour_mixed cascade");
            s.execute("create schema flavour_mixed");
            try {
                s.execute("set search_path to flavour_mixed");
                s.execute("create table positions (" + TimeSeriesMigration.POSITIONS_COLUMNS + ") partition by range (fix_time)");
                s.execute("create table device_events (" + TimeSeriesMigration.EVENTS_COLUMNS + ")");
                assertThrows(IllegalStateException.class, () -> SchemaFlavour.detect(c, false));
            } finally {
                s.execute("set search_path to default");
                s.execute("drop schema flavour_mixed cascade");
            }
        }
    }
}
