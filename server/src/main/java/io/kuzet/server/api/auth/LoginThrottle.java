package io.kuzet.server.api.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Exponential back-off of password guessing, per client address and per username. Each key may fail
 * {@value #FREE_FAILURES_PER_USER} (user) or {@value #FREE_FAILURES_PER_ADDRESS} (address) times; every further
 * failure locks it for 1 s, 2 s, 4 s, ... up to {@value #MAX_LOCK_SECONDS} s. While a key is locked every login
 * attempt with it is refused (429) before the password is even hashed. A success clears the username's count, not
 * the address's (one valid account must not reset the guessing budget of an address); a key with no failure for
 * {@value #FORGET_AFTER_SECONDS} s is forgotten. State is per node, in memory, bounded to {@value #MAX_KEYS} keys.
 * Thread-safe.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES_PER_USER = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final long MAX_LOCK_SECONDS = 900;
    static final long FORGET_AFTER_SECONDS = 3600;
    static final int MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, Failures> keys = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;
    private final Counter failures;
    private final Counter throttled;

    public LoginThrottle(MeterRegistry meters, Supplier<Instant> clock) {
        this.clock = clock;
        failures = Counter.builder("kuzet_api_login_failures_total").description("logins refused for a wrong username or password")
                .register(meters);
        throttled = Counter.builder("kuzet_api_login_throttled_total")
                .description("logins refused with 429 because the address or username is locked by back-off").register(meters);
    }

    /** Seconds the caller must wait before trying again (0 = may try now); counts a refusal when above 0. */
    public long retryAfterSeconds(String address, String username) {
        long now = clock.get().toEpochMilli();
        long waitMs = Math.max(waitMs(addressKey(address), now), waitMs(userKey(username), now));
        if (waitMs <= 0) {
            return 0;
        }
        throttled.increment();
        return (waitMs + 999) / 1000;
    }

    /**
     * Records a failed login; returns a description of the lock it started ("user alice locked for 4 s"), or null
     * when no key became locked.
     */
    public String failure(String address, String username) {
        failures.increment();
        long now = clock.get().toEpochMilli();
        if (keys.size() >= MAX_KEYS) {
            keys.values().removeIf(f -> now - f.lastFailureMs > FORGET_AFTER_SECONDS * 1000 || f.lockedUntilMs < now);
        }
        String a = fail(addressKey(address), FREE_FAILURES_PER_ADDRESS, now);
        String u = fail(userKey(username), FREE_FAILURES_PER_USER, now);
        return a == null ? u : u == null ? a : a + ", " + u;
    }

    /** A successful login clears the username's failures. */
    public void success(String username) {
        keys.remove(userKey(username));
    }

    private long waitMs(String key, long now) {
        Failures f = keys.get(key);
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            return f.lockedUntilMs - now;
        }
    }

    private String fail(String key, int free, long now) {
        Failures f = keys.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            if (now - f.lastFailureMs > FORGET_AFTER_SECONDS * 1000) {
                f.count = 0;
            }
            f.count++;
            f.lastFailureMs = now;
            if (f.count <= free) {
                return null;
            }
            long seconds = Math.min(MAX_LOCK_SECONDS, 1L << Math.min(20, f.count - free - 1));
            f.lockedUntilMs = now + seconds * 1000;
            return key + " locked for " + seconds + " s after " + f.count + " failures";
        }
    }

    private static String addressKey(String address) {
        return "address " + address;
    }

    private static String userKey(String username) {
        return "user " + username.toLowerCase(Locale.ROOT);
    }

    private static final class Failures {
        int count;
        long lastFailureMs;
        long lockedUntilMs;
    }
}
