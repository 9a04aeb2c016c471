package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream carries only what a client subscribed to (issue 13, "Found": the queue was rebuilt on every live
 * message, almost all of them positions it does not use). The console subscribes with {@code ?kinds=alert}: alert
 * transitions, actions and escalations, no positions; a client that names no kinds keeps the old default (both).
 */
class ConsoleLiveSubscriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void consoleSubscriptionGetsAlertsAndActionsButNoPositions() throws Exception {
        Client console = new Client(h, "?kinds=alert", h.login("op-alm"));
        Client legacy = new Client(h, "", h.login("sup-alm"));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.server.live().subscribers() == 2);

        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> !console.of("alert").isEmpty() && !legacy.of("alert").isEmpty());
        String alertId = console.of("alert").get(0).get("alertId").asText();
        h.json("POST", "/api/v1/alerts/" + alertId + "/acknowledge", h.login("sup-alm"), "{}", 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !console.of("alert-action").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !legacy.of("position").isEmpty());

        assertEquals(List.of(), console.of("position"), "the console's stream carries no positions");
        assertTrue(legacy.of("position").size() >= 1, "a client that names no kinds still gets positions (compatible default)");
        assertEquals("ACKNOWLEDGED", console.of("alert-action").get(0).get("action").asText());
    }

    /** A live-stream client that keeps every message it receives. */
    private static final class Client implements WebSocket.Listener {
        final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        Client(ApiHarness h, String query, String token) throws Exception {
            h.http.newWebSocketBuilder().subprotocols("kuzet.v1", "kuzet.token." + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + h.server.httpPort() + "/api/v1/live" + query), this)
                    .get(10, TimeUnit.SECONDS);
        }

        List<JsonNode> of(String kind) {
            return messages.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
