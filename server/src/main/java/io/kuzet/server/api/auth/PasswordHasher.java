package io.kuzet.server.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.kuzet.server.api.http.ApiException;
import java.nio.charset.StandardCharsets;

/**
 * Hashes and checks passwords with bcrypt. Thread-safe. Cost: about 2^cost bcrypt rounds, tens of milliseconds at
 * the default cost of 10, which is the point (brute force is slow too); login runs on the API's worker pool.
 */
public final class PasswordHasher {
    /** Shortest password accepted when a user is created. */
    public static final int MIN_LENGTH = 10;
    private static final int MAX_BYTES = 72; // bcrypt's input limit

    private final int cost;

    public PasswordHasher(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    /**
     * Refuses a password the policy does not accept, each reason with its own code ({@code password_too_short},
     * {@code password_too_long}) so the console can say which in the user's language.
     */
    public static void requireAcceptable(String password) {
        if (password.length() < MIN_LENGTH) {
            throw new ApiException(400, "password_too_short", "the password must have at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new ApiException(400, "password_too_long", "the password must not exceed " + MAX_BYTES + " bytes");
        }
    }
}
