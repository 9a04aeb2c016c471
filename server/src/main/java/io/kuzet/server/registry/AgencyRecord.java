package io.kuzet.server.registry;

/** A territorial probation body (or other agency) that owns subjects and their alerts. Immutable. */
public record AgencyRecord(long id, String code, String name, String region) {
}
