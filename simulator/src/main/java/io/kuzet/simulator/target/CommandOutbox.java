package io.kuzet.simulator.target;

import io.kuzet.server.command.CommandStore;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.registry.AgencyRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.SubjectRecord;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real command outbox for an {@link InProcessServer}: an embedded PostgreSQL under the run's data directory with
 * the schema, holding just the registry rows {@code device_commands} refers to (the agencies, subjects and devices of
 * the in-memory registry, with the same ids), so the server's {@code CommandService} stores, sends and settles
 * commands exactly as in production. Close it after the server.
 */
public final class CommandOutbox implements AutoCloseable {
    private final Database database;
    private final CommandStore store;

    private CommandOutbox(Database database) {
        this.database = database;
        this.store = new CommandStore(database.dataSource());
    }

    /** Starts the database under {@code dataDir}/outbox-db and writes the ids of {@code registry}'s devices. */
    public static CommandOutbox start(Path dataDir, RegistrySnapshot registry) throws SQLException {
        ServerConfig.Database d = new ServerConfig().database;
        ServerConfig.Storage s = new ServerConfig().storage;
        Database database = Database.start(new DatabaseSettings(null, d.user, d.password, dataDir.resolve("outbox-db"),
                0, 4, s.positionsRetentionDays, s.compressAfterDays, d.embeddedStartTimeoutS));
        try {
            register(database, registry);
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return new CommandOutbox(database);
    }

    private static void register(Database database, RegistrySnapshot registry) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement agency = c.prepareStatement("insert into agencies (id, code, name, region) values (?, ?, ?, ?) "
                     + "on conflict do nothing");
             PreparedStatement subject = c.prepareStatement("insert into subjects (id, agency_id, external_case_id, display_name) "
                     + "values (?, ?, ?, ?) on conflict do nothing");
             PreparedStatement device = c.prepareStatement("insert into devices (id, protocol, device_number, role) "
                     + "values (?, ?, ?, ?) on conflict do nothing")) {
            java.util.Set<Long> agencies = new java.util.HashSet<>();
            for (SubjectRecord r : registry.subjects()) {
                if (agencies.add(r.agencyId())) {
                    AgencyRecord a = registry.agency(r.agencyId());
                    agency.setLong(1, a.id());
                    agency.setString(2, a.code());
                    agency.setString(3, a.name());
                    agency.setString(4, a.region());
                    agency.executeUpdate();
                }
                subject.setLong(1, r.id());
                subject.setLong(2, r.agencyId());
                subject.setString(3, r.externalCaseId());
                subject.setString(4, r.displayName());
                subject.addBatch();
            }
            subject.executeBatch();
            for (DeviceRecord r : registry.devices()) {
                device.setLong(1, r.id());
                device.setString(2, r.protocol());
                device.setLong(3, r.deviceNumber());
                device.setString(4, r.role().name());
                device.addBatch();
            }
            device.executeBatch();
        }
    }

    public CommandStore store() {
        return store;
    }

    /** Supervision commands by the step of their de-duplication key ({@code pursuit-on}, {@code warn}...) and state. */
    public Map<String, Long> supervisionCounts() throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select split_part(dedup_key, ':', 1) || '/' || state, count(*) "
                     + "from device_commands where origin = 'SUPERVISION' group by 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Seconds from storing to the device's answer of the supervision commands that were answered: p50, p95. */
    public double[] answerDelaysS() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select percentile_cont(0.5) within group (order by d), "
                     + "percentile_cont(0.95) within group (order by d) from (select extract(epoch from finished_at - created_at) d "
                     + "from device_commands where origin = 'SUPERVISION' and state = 'DONE') x");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
