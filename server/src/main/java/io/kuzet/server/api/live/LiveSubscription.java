package io.kuzet.server.api.live;

import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.Authenticator;

/**
 * One authenticated live-stream subscriber: who it is, the secret it authenticated with (kept only in memory, to
 * re-validate it), who re-validates it, and which kinds of message it asked for. Immutable.
 *
 * @param alerts    alert transitions and escalations
 * @param positions latest positions of the agency's subjects
 */
public record LiveSubscription(Principal principal, String token, Authenticator authenticator, boolean alerts, boolean positions) {
    /** Who holds the configured ops live token ({@code live.token}): every agency, alerts only, no API access. */
    public static final Principal OPS_PRINCIPAL = new Principal(0, "ops-live-token", Role.OPERATOR, 0);

    /** The kinds as written to the audit log ("alert,position"). */
    public String kinds() {
        return alerts && positions ? "alert,position" : alerts ? "alert" : "position";
    }
}
