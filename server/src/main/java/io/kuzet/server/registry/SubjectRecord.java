package io.kuzet.server.registry;

/** A person under an EM order, keyed by the external case id of the national case-management system. Immutable. */
public record SubjectRecord(long id, long agencyId, String externalCaseId, String displayName) {
}
