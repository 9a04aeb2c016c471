package io.kuzet.server.registry;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The registry repositories on one connection, in the caller's transaction: the one way the API routes and the
 * provisioning import write agencies, subjects, orders, zones, rules and devices, so both refuse the same values with
 * the same sentence ({@link RegistryRefusal}). The caller commits, audits and reloads the registry
 * ({@code RegistryHolder}). Statements are prepared once per instance; batched upserts are sent when a batch is full
 * and by {@link #flush()}. Not thread-safe: one per connection and transaction.
 */
public final class RegistryWrites implements AutoCloseable {
    private final Statements statements;
    private final AgencyRepository agencies;
    private final SubjectRepository subjects;
    private final OrderRepository orders;
    private final ZoneRepository zones;
    private final RuleRepository rules;
    private final DeviceRepository devices;

    public RegistryWrites(Connection c) {
        statements = new Statements(c);
        agencies = new AgencyRepository(statements);
        subjects = new SubjectRepository(statements);
        orders = new OrderRepository(statements);
        zones = new ZoneRepository(statements);
        rules = new RuleRepository(statements, zones);
        devices = new DeviceRepository(statements);
    }

    public AgencyRepository agencies() {
        return agencies;
    }

    public SubjectRepository subjects() {
        return subjects;
    }

    public OrderRepository orders() {
        return orders;
    }

    public ZoneRepository zones() {
        return zones;
    }

    public RuleRepository rules() {
        return rules;
    }

    public DeviceRepository devices() {
        return devices;
    }

    /** Sends the rows still waiting in batches. */
    public void flush() throws SQLException {
        statements.flushAll();
    }

    /** Closes the statements; rows still in a batch are not sent (call {@link #flush()} first). */
    @Override
    public void close() throws SQLException {
        statements.close();
    }

    /** The statement cache, for the import's own lookups on the same connection. */
    Statements statements() {
        return statements;
    }
}
