package io.kuzet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Subscribes to the server's live stream for alerts (token as the WebSocket subprotocol {@code kuzet.token.<token>})
 * and collects every message it receives.
 */
public final class LiveAlertClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    public LiveAlertClient(int httpPort, String token) throws Exception {
        this(httpPort, token, "alert");
    }

    /** Subscribes to the given kinds ({@code alert}, {@code position}, or both comma-separated). */
    public LiveAlertClient(int httpPort, String token, String kinds) throws Exception {
        StringBuilder partial = new StringBuilder();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .subprotocols("kuzet.v1", "kuzet.token." + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live?kinds=" + kinds), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                alerts.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    public List<JsonNode> alerts() {
        return alerts;
    }

    /** Alerts of the given type and phase received so far. */
    public List<JsonNode> alerts(String type, String phase) {
        return alerts.stream().filter(a -> type.equals(a.path("type").asText()) && phase.equals(a.path("phase").asText())).toList();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
