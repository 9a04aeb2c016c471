package io.kuzet.server.api.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertJson;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.TokenStore;
import io.kuzet.server.api.http.Json;
import io.kuzet.protocol.Fix;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.SubjectRecord;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' live stream, {@code /api/v1/live?token=<API bearer token>}: alert transitions, escalations and
 * latest positions (at most one per subject per poll, {@code "kind":"position"}), each sent only to subscribers
 * whose agency owns the subject. Alerts come from tailing the alerts journal from
 * its end at start-up (the journal is the hand-off, so this works the same when evaluation runs elsewhere);
 * escalations are {@link #publish}ed by the escalation job. One thread polls the journal every
 * {@value #POLL_MS} ms and authenticates handshakes (a JDBC lookup, never on the event loop). A subscriber that
 * cannot keep up is disconnected. Thread-safe.
 */
public final class AgencyLiveHub implements AutoCloseable {
    public static final String PATH = "/api/v1/live";
    static final long POLL_MS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(AgencyLiveHub.class);

    private final RegistryHolder registry;
    private final TokenStore tokens;
    private final Map<Channel, Principal> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private final ExcerptTailer tailer;
    private final IngestReader positions;
    private final IngestRecord record = new IngestRecord();
    private final Map<Long, ObjectNode> latestBySubject = new HashMap<>();

    public AgencyLiveHub(AlertJournal journal, IngestJournal ingestJournal, RegistryHolder registry, TokenStore tokens) {
        this.registry = registry;
        this.tokens = tokens;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kuzet-api-live");
            t.setDaemon(true);
            return t;
        });
        try {
            this.tailer = thread.submit(() -> journal.createTailer().toEnd()).get();
            this.positions = thread.submit(() -> ingestJournal.createReader().startAfter(ingestJournal.lastIndex())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot tail the alerts journal", e.getCause());
        }
        thread.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Adds the live-stream handlers and then {@code last} (the API handler) to an HTTP connection's pipeline. */
    public void install(ChannelPipeline pipeline, ChannelHandler last) {
        pipeline.addLast(new LiveHandshakeAuth(this))
                .addLast(new LiveSubscriber())
                .addLast(last);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Sends an event (e.g. an escalation with an {@code agencyId}) to the subscribers who may see it. */
    public void publish(ObjectNode event) {
        long agency = event.path("agencyId").asLong();
        send(agency, Json.write(event));
    }

    void authenticate(String token, java.util.function.Consumer<Principal> then) {
        thread.execute(() -> {
            Principal p = null;
            try {
                p = token == null || token.length() > 200 ? null : tokens.authenticate(token);
            } catch (SQLException e) {
                LOG.warn("live stream authentication failed: {}", e.toString());
            }
            then.accept(p);
        });
    }

    void subscribe(Channel channel, Principal principal) {
        subscribers.put(channel, principal);
        channel.closeFuture().addListener(f -> subscribers.remove(channel));
    }

    private void poll() {
        try {
            AlertJournal.readFrom(tailer, (alert, index) -> onAlert(alert), 1000);
        } catch (RuntimeException e) {
            LOG.warn("live stream could not read the alerts journal: {}", e.toString());
        }
        try {
            pollPositions();
        } catch (RuntimeException e) {
            LOG.warn("live stream could not read the ingest journal: {}", e.toString());
        }
    }

    /** Coalesces the fixes journaled since the last poll to the newest per subject and pushes those. */
    private void pollPositions() {
        int read = 0;
        while (read < 20_000 && positions.next(record)) {
            read++;
            if (subscribers.isEmpty() || record.type != IngestRecord.TYPE_DEVICE_MESSAGE) {
                continue;
            }
            DeviceRecord device = registry.snapshot().device(record.deviceId);
            if (device == null || device.subjectId() == 0 || device.role() != DeviceRole.BRACELET) {
                continue;
            }
            for (int i = 0; i < record.message.fixCount(); i++) {
                Fix fix = record.message.fix(i);
                ObjectNode previous = latestBySubject.get(device.subjectId());
                if (!fix.isValid() || (previous != null && previous.path("timeMs").asLong() >= fix.timeMs)) {
                    continue;
                }
                ObjectNode node = Json.object();
                node.put("kind", "position");
                node.put("subjectId", Long.toString(device.subjectId()));
                node.put("deviceNumber", Long.toString(device.deviceNumber()));
                node.put("timeMs", fix.timeMs);
                node.put("time", java.time.Instant.ofEpochMilli(fix.timeMs).toString());
                node.put("lat", fix.latitude());
                node.put("lon", fix.longitude());
                if (fix.accuracyDm != Fix.ACCURACY_UNKNOWN) {
                    node.put("accuracyMetres", fix.accuracyMetres());
                }
                latestBySubject.put(device.subjectId(), node);
            }
        }
        if (latestBySubject.isEmpty()) {
            return;
        }
        for (ObjectNode node : latestBySubject.values()) {
            SubjectRecord subject = registry.snapshot().subject(Long.parseLong(node.get("subjectId").asText()));
            long agency = subject == null ? -1 : subject.agencyId();
            node.put("agencyId", Long.toString(agency));
            send(agency, Json.write(node));
        }
        latestBySubject.clear();
    }

    private void onAlert(Alert alert) {
        if (subscribers.isEmpty()) {
            return;
        }
        SubjectRecord subject = registry.snapshot().subject(alert.subjectId());
        long agency = subject == null ? -1 : subject.agencyId();
        ObjectNode node = AlertJson.toNode(alert);
        node.put("agencyId", Long.toString(agency));
        send(agency, Json.write(node));
    }

    private void send(long agency, String json) {
        subscribers.forEach((channel, principal) -> {
            if (!principal.allAgencies() && principal.agencyId() != agency) {
                return;
            }
            if (channel.isWritable()) {
                channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
            } else {
                LOG.warn("live subscriber {} is not keeping up; disconnecting it", channel.remoteAddress());
                channel.close();
            }
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tailer.close();
        positions.close();
        subscribers.keySet().forEach(Channel::close);
    }
}
