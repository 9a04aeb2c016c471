package io.kuzet.server.api.http;

import io.kuzet.server.api.auth.Principal;
import java.sql.SQLException;

/**
 * Turns a presented bearer secret into the caller it belongs to. Implementations are thread-safe and may block
 * (a JDBC lookup), so they are called on worker threads, never on an event loop.
 */
@FunctionalInterface
public interface Authenticator {
    /** Accepts nothing: the server without the operator API. */
    Authenticator NONE = token -> null;

    /** The caller holding {@code token}, or null when it is unknown, expired or revoked. */
    Principal authenticate(String token) throws SQLException;

    /** Tries this authenticator, then {@code next}. */
    default Authenticator orElse(Authenticator next) {
        return token -> {
            Principal p = authenticate(token);
            return p != null ? p : next.authenticate(token);
        };
    }
}
