package io.kuzet.server.registry;

/**
 * A territorial probation body (or other agency) that owns subjects and their alerts. {@code allowedSources} are the
 * networks its devices may connect from unless a device has its own list ({@link SourceNetworks#ANY}: no
 * restriction). Immutable.
 */
public record AgencyRecord(long id, String code, String name, String region, SourceNetworks allowedSources) {
    public AgencyRecord {
        allowedSources = allowedSources == null ? SourceNetworks.ANY : allowedSources;
    }

    /** An agency without a source restriction. */
    public AgencyRecord(long id, String code, String name, String region) {
        this(id, code, name, region, SourceNetworks.ANY);
    }
}
