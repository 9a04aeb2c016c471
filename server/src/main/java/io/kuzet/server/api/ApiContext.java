package io.kuzet.server.api;

import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.PasswordHasher;
import io.kuzet.server.api.auth.TokenStore;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.RegistryRepository;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every route group shares: the database, the audit log, tokens and password hashing, the server's clock (the
 * one alerts are detected on, simulated in the demo; sessions and the audit log keep the wall clock), the live
 * token, and the registry reload that makes a rule, zone, order or device change reach the evaluation core without
 * a restart. Thread-safe.
 */
public final class ApiContext {
    private static final Logger LOG = LoggerFactory.getLogger(ApiContext.class);

    private final DataSource dataSource;
    private final AuditLog audit;
    private final TokenStore tokens;
    private final PasswordHasher hasher;
    private final Supplier<Instant> clock;
    private final RegistryHolder registry;
    private final RegistryRepository repository;
    private final String liveToken;
    private final Object reloadLock = new Object();

    public ApiContext(DataSource dataSource, AuditLog audit, TokenStore tokens, PasswordHasher hasher, Supplier<Instant> clock,
                      RegistryHolder registry, RegistryRepository repository, String liveToken) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.tokens = tokens;
        this.hasher = hasher;
        this.clock = clock;
        this.registry = registry;
        this.repository = repository;
        this.liveToken = liveToken;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public AuditLog audit() {
        return audit;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    public Instant now() {
        return clock.get();
    }

    public Supplier<Instant> clock() {
        return clock;
    }

    public String liveToken() {
        return liveToken;
    }

    public RegistryHolder registry() {
        return registry;
    }

    /**
     * Loads the registry from the database and swaps it in; the core rebuilds rule sets on the version change.
     * Serialised so two concurrent changes cannot swap in an older snapshot last. Cost: one registry load.
     */
    public void reloadRegistry() throws SQLException {
        synchronized (reloadLock) {
            long before = registry.version();
            var next = repository.load();
            if (next.version() <= before) {
                LOG.warn("registry reload produced version {} not above {}; share one RegistryRepository between the server"
                        + " start and the API so versions stay monotonic", next.version(), before);
            }
            registry.replace(next);
        }
    }
}
