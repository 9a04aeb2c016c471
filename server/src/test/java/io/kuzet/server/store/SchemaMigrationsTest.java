package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationsTest {

    @Test
    void migratedSchemaHasEveryTableAndReRunningAppliesNothing() throws Exception {
        Database db = SharedPostgres.database();
        assertEquals(0, SchemaMigrations.migrate(db.dataSource()));
        assertEquals(0, SchemaMigrations.migrate(db.dataSource()));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select count(*) from pg_class where relname in ('agencies', 'users', 'subjects', 'orders', 'devices',
                     'device_assignments', 'zones', 'rules', 'schedules', 'schedule_exceptions', 'positions',
                     'device_events', 'alerts', 'alert_actions', 'audit_log', 'legal_holds', 'journal_checkpoints',
                     'subject_daily_summary')""")) {
            rs.next();
            assertEquals(18, rs.getInt(1));
        }
    }

    @Test
    void embeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dataDir) throws Exception {
        DatabaseSettings settings = DatabaseSettings.embedded(dataDir);
        try (Database first = Database.start(settings)) {
            assertEquals(SchemaFlavour.PLAIN_POSTGRESQL, first.flavour());
            try (Connection c = first.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into agencies (code, name, region) values ('ALM', 'Almaty probation', 'Almaty')");
            }
        }
        try (Database second = Database.start(settings);
             Connection c = second.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select name from agencies where code = 'ALM'")) {
            assertTrue(rs.next());
            assertEquals("Almaty probation", rs.getString(1));
        }
    }
}
