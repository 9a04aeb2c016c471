package io.kuzet.simulator.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subscription to the server's live stream ({@code /api/v1/live?kinds=alert}, the token offered as the
 * WebSocket subprotocol {@code kuzet.token.<token>}): hands every alert object to a
 * consumer on the HTTP client's thread, with the receive time in nanos. Thread-safe; close it once.
 */
public final class LiveAlertStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;

    /** Receives one alert JSON object and the {@link System#nanoTime()} at which it arrived. */
    public interface AlertConsumer {
        void onAlert(JsonNode alert, long receivedNanos);
    }

    public LiveAlertStream(String host, int httpPort, String token, AlertConsumer consumer) throws Exception {
        StringBuilder partial = new StringBuilder();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .subprotocols("kuzet.v1", "kuzet.token." + token)
                .buildAsync(URI.create("ws://" + host + ":" + httpPort + "/api/v1/live?kinds=alert"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        long now = System.nanoTime();
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode node = JSON.readTree(partial.toString());
                                if ("alert".equals(node.path("kind").asText())) {
                                    consumer.onAlert(node, now);
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException("unreadable live alert: " + partial, e);
                            } finally {
                                partial.setLength(0);
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    /** Convenience for consumers that ignore the arrival time. */
    public static LiveAlertStream of(String host, int httpPort, String token, Consumer<JsonNode> consumer) throws Exception {
        return new LiveAlertStream(host, httpPort, token, (alert, nanos) -> consumer.accept(alert));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
