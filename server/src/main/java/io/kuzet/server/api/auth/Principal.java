package io.kuzet.server.api.auth;

/**
 * The authenticated caller. {@code agencyId} 0 means a platform user who sees every agency (only admins may be
 * created without an agency); any other value scopes every query to that agency. {@code mustChangePassword} is
 * set after an admin reset and for a generated bootstrap password: until the user changes it, the API answers only
 * the password change (and logout, who-am-I). Immutable.
 */
public record Principal(long userId, String username, Role role, long agencyId, boolean mustChangePassword) {

    public Principal(long userId, String username, Role role, long agencyId) {
        this(userId, username, role, agencyId, false);
    }

    public boolean allAgencies() {
        return agencyId == 0;
    }

    /** True when this caller may see data of {@code otherAgencyId}. */
    public boolean sees(long otherAgencyId) {
        return agencyId == 0 || agencyId == otherAgencyId;
    }
}
