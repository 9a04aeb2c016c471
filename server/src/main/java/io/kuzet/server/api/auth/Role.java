package io.kuzet.server.api.auth;

/**
 * What a user may do; each role includes the ones below it. Operators work alerts and maps of their agency,
 * supervisors also resolve with dispositions, set up subjects, orders, zones and rules and export evidence,
 * admins manage users, agencies and devices.
 */
public enum Role {
    OPERATOR, SUPERVISOR, ADMIN;

    public boolean atLeast(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
