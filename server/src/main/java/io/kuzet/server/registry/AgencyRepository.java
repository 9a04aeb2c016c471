package io.kuzet.server.registry;

import java.sql.SQLException;
import java.util.List;

/**
 * The one write path for agencies, used by the API and the provisioning import. Not thread-safe (one per
 * {@link RegistryWrites}).
 */
public final class AgencyRepository {
    private static final String INSERT = "insert into agencies (code, name, region, allowed_sources) values (?, ?, ?, ?)";

    private final Statements statements;

    AgencyRepository(Statements statements) {
        this.statements = statements;
    }

    /** An agency as written; checked on construction. {@code allowedSources}: {@link SourceNetworks#ANY} = any network. */
    public record Agency(String code, String name, String region, SourceNetworks allowedSources) {
        public Agency {
            code = Checks.text("code", code, 32);
            name = Checks.text("name", name, 200);
            region = Checks.text("region", region, 200);
            allowedSources = allowedSources == null ? SourceNetworks.ANY : allowedSources;
        }

        /** With the source networks given as CIDR blocks (absent or empty: any network). */
        public Agency(String code, String name, String region, List<String> allowedSources) {
            this(code, name, region, Checks.sources(allowedSources, "agency " + code));
        }
    }

    /** Inserts a new agency; a code in use is the database's unique violation. */
    public long create(Agency a) throws SQLException {
        return statements.id(INSERT + " returning id", args(a));
    }

    /** Inserts or updates the agency of that code. */
    public long upsert(Agency a) throws SQLException {
        return statements.id(INSERT + """
                 on conflict (code) do update set name = excluded.name, region = excluded.region,
                    allowed_sources = excluded.allowed_sources returning id""", args(a));
    }

    private static Object[] args(Agency a) {
        return new Object[] {a.code(), a.name(), a.region(), Checks.cidrArray(a.allowedSources())};
    }
}
