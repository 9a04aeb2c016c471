package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.api.live.AgencyLiveHub;
import io.kuzet.server.testing.RawHttp;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open live stream follows its session: logout, expiry, a disabled user or a changed role close it with a clear
 * code within seconds; opening it is audited; the all-agency ops token is for platform admins only.
 */
class LiveStreamSessionTest {
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
    void logoutClosesTheOpenStreamWithSessionEnded() throws Exception {
        String token = h.login("op-alm");
        Stream stream = open(token);
        h.json("POST", "/api/v1/auth/logout", token, null, 204);
        assertEquals(AgencyLiveHub.CLOSE_SESSION_ENDED, stream.closeCode());
    }

    @Test
    void disablingTheUserClosesTheOpenStreamWithSessionEnded() throws Exception {
        Stream stream = open(h.login("op-alm"));
        h.exec("update users set disabled = true where username = 'op-alm'");
        assertEquals(AgencyLiveHub.CLOSE_SESSION_ENDED, stream.closeCode());
    }

    @Test
    void expiryClosesTheOpenStreamWithSessionEnded() throws Exception {
        Stream stream = open(h.login("op-alm"));
        h.clock.advance(Duration.ofHours(13).toMillis());
        assertEquals(AgencyLiveHub.CLOSE_SESSION_ENDED, stream.closeCode());
    }

    @Test
    void roleOrAgencyChangeClosesTheOpenStreamWithPrincipalChanged() throws Exception {
        Stream stream = open(h.login("op-alm"));
        h.exec("update users set agency_id = 2 where username = 'op-alm'");
        assertEquals(AgencyLiveHub.CLOSE_PRINCIPAL_CHANGED, stream.closeCode());
        Stream supervisor = open(h.login("sup-alm"));
        h.exec("update users set role = 'operator' where username = 'sup-alm'");
        assertEquals(AgencyLiveHub.CLOSE_PRINCIPAL_CHANGED, supervisor.closeCode());
    }

    @Test
    void openingALiveStreamIsAuditedWithWhoAgencyAndKinds() throws Exception {
        open(h.login("op-alm"));
        List<String> rows = h.strings("select details::text from audit_log where action = 'live.open'");
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("\"agencyId\": \"1\"") && rows.get(0).contains("\"kinds\": \"alert,position\"")
                && rows.get(0).contains("op-alm"), rows.get(0));
        assertEquals(1, h.scalar("select count(*) from audit_log a join users u on u.id = a.user_id"
                + " where a.action = 'live.open' and u.username = 'op-alm'"));
    }

    @Test
    void apiTokenInTheUrlIsRefusedBeforeTheHandshake() throws Exception {
        String token = h.login("op-alm");
        assertEquals(400, RawHttp.status(h.server.httpPort(), RawHttp.upgrade("/api/v1/live?token=" + token, "")));
        assertEquals(101, RawHttp.status(h.server.httpPort(), RawHttp.upgrade("/api/v1/live", "Authorization: Bearer " + token + "\r\n")));
    }

    @Test
    void userWhoMustChangeThePasswordGetsNoLiveStreamUntilItIsChanged() throws Exception {
        String oneTime = h.json("POST", "/api/v1/users/" + h.json("GET", "/api/v1/auth/me", h.login("op-alm"), null, 200)
                .get("id").asText() + "/reset-password", h.login("admin"), null, 200).get("oneTimePassword").asText();
        java.net.http.HttpResponse<String> login = h.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"op-alm\",\"password\":\"" + oneTime + "\"}");
        assertEquals(200, login.statusCode(), login.body());
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).get("token").asText();
        assertEquals(403, RawHttp.status(h.server.httpPort(), RawHttp.upgrade("/api/v1/live", "Authorization: Bearer " + token + "\r\n")),
                "the one-time password opens the password change, not location data");
    }

    @Test
    void onlyAPlatformAdminObtainsTheAllAgencyLiveToken() throws Exception {
        h.addUser("adm-ast", "admin", 2);
        assertEquals(403, h.send("GET", "/api/v1/auth/live-token", h.login("adm-ast"), null).statusCode());
        assertEquals(403, h.send("GET", "/api/v1/auth/live-token", h.login("sup-alm"), null).statusCode());
        String token = h.json("GET", "/api/v1/auth/live-token", h.login("admin"), null, 200).get("token").asText();
        assertEquals(io.kuzet.server.testing.RunningServer.LIVE_TOKEN, token);
    }

    @Test
    void closingTheStreamFromTheConsoleLogsNoException() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            int before = h.server.live().subscribers();
            Stream stream = open(h.login("op-alm"));
            stream.socket.sendClose(WebSocket.NORMAL_CLOSURE, "tab closed").get(10, TimeUnit.SECONDS);
            assertEquals(WebSocket.NORMAL_CLOSURE, stream.closeCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> h.server.live().subscribers() == before);
            Stream second = open(h.login("op-alm"));
            second.socket.abort();
            await().atMost(Duration.ofSeconds(5)).until(() -> h.server.live().subscribers() == before);
            List<String> problems = logged.list.stream()
                    .filter(e -> e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getClassName()))
                    .toList();
            assertEquals(List.of(), problems);
        } finally {
            root.detachAppender(logged);
        }
    }

    private Stream open(String token) throws Exception {
        int before = h.server.live().subscribers();
        Stream stream = new Stream();
        stream.socket = h.http.newWebSocketBuilder().subprotocols("kuzet.v1", "kuzet.token." + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + h.server.httpPort() + "/api/v1/live"), stream).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> h.server.live().subscribers() == before + 1);
        return stream;
    }

    /** A live-stream client that remembers the close code the server sent. */
    private static final class Stream implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        /** The server's close code; fails when the stream stays open for 10 s. */
        int closeCode() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }
    }
}
