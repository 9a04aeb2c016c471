package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password guessing over HTTP is slowed down per username and per address, counted and audited. */
class LoginThrottlingTest {
    @TempDir
    Path dataDir;
    ApiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void repeatedWrongPasswordsForOneUserAreAnswered429WithRetryAfterEvenWithTheRightPassword() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, wrongLogin("op-alm").statusCode(), "attempt " + (i + 1) + " is free");
        }
        assertEquals(401, wrongLogin("op-alm").statusCode(), "the sixth failure starts the lock");
        HttpResponse<String> locked = wrongLogin("op-alm");
        assertEquals(429, locked.statusCode());
        assertEquals("1", locked.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(429, h.send("POST", "/api/v1/auth/login", null, body("op-alm", ApiHarness.PASSWORD)).statusCode(),
                "a locked user cannot log in even with the right password");
        h.clock.advance(Duration.ofSeconds(2).toMillis());
        assertEquals(401, wrongLogin("op-alm").statusCode());
        HttpResponse<String> longer = wrongLogin("op-alm");
        assertEquals(429, longer.statusCode());
        assertEquals("2", longer.headers().firstValue("Retry-After").orElseThrow(), "the lock doubles");
        h.clock.advance(Duration.ofSeconds(3).toMillis());
        h.login("op-alm");
        h.login("sup-alm");

        String metrics = h.send("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("kuzet_api_login_failures_total 7.0"), metrics.lines().filter(l -> l.contains("login")).toList().toString());
        assertTrue(metrics.contains("kuzet_api_login_throttled_total 3.0"), metrics.lines().filter(l -> l.contains("login")).toList().toString());
        assertEquals(2, h.scalar("select count(*) from audit_log where action = 'auth.login.locked' and details->>'username' = 'op-alm'"));
    }

    @Test
    void oneAddressGuessingManyUsernamesIsThrottled() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(401, wrongLogin("guess-" + i).statusCode());
        }
        assertEquals(401, wrongLogin("guess-20").statusCode(), "the 21st failure starts the address lock");
        HttpResponse<String> locked = wrongLogin("guess-21");
        assertEquals(429, locked.statusCode());
        assertTrue(locked.headers().firstValue("Retry-After").isPresent());
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'auth.login.locked' and details->>'lock' like 'address%'"));
    }

    private HttpResponse<String> wrongLogin(String username) throws Exception {
        return h.send("POST", "/api/v1/auth/login", null, body(username, "not the password"));
    }

    private static String body(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }
}
