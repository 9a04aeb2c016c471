package io.kuzet.server.api.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertJson;
import io.kuzet.server.alert.AlertListener;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.SubjectRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one live stream, {@value #PATH}: alert transitions, escalations and latest positions (at most one per subject
 * per poll, {@code "kind":"position"}), each sent only to subscribers whose principal sees the subject's agency and
 * who asked for that kind. The HTTP front door authenticates the handshake before the 101 and hands the channel
 * over with {@link #subscribe}.
 *
 * <p>Alerts come from tailing the alerts journal (the hand-off, so this works the same when evaluation runs
 * elsewhere); as an {@link AlertListener} in-process the hub is only woken up, so delivery does not wait for the next
 * poll. With {@code journal.kind=kafka} there is no journal to tail: {@link KafkaLiveFeed} reads the alerts topic (every
 * node's alerts) and the ingest topic and hands them to {@link #deliver} and {@link #deliverPosition}. Escalations are
 * {@link #publish}ed by the escalation job. Every {@code revalidateMs} each subscriber's
 * secret is checked again against its authenticator (the token table in the database, so a logout, expiry, disabled
 * user or role change on any node takes effect): a stream whose principal is gone closes with {@value #CLOSE_SESSION_ENDED},
 * one whose role or agency changed with {@value #CLOSE_PRINCIPAL_CHANGED}; the others get a ping, which also keeps
 * the connection out of the HTTP idle timeout. A database error keeps streams open (alert delivery outlives a
 * database outage) and is logged. A subscriber that falls behind keeps its stream while what waits for it stays under
 * {@code backlogBytes} (its channel's write-buffer high-water mark: a console busy for a moment during a burst of
 * alerts must not lose its stream); one further behind is disconnected and counted, so a client that stopped reading
 * cannot hold the server's memory. The console reconnects and reloads its queue.
 *
 * <p>One thread ({@code kuzet-live}) polls the journals every {@value #POLL_MS} ms and re-validates. Thread-safe.
 */
public final class AgencyLiveHub implements AlertListener, AutoCloseable {
    public static final String PATH = "/api/v1/live";
    /** WebSocket close code: the token was revoked (logout), expired or its user disabled. */
    public static final int CLOSE_SESSION_ENDED = 4401;
    /** WebSocket close code: the user's role or agency changed; reconnect with a fresh login. */
    public static final int CLOSE_PRINCIPAL_CHANGED = 4403;
    static final long POLL_MS = 50;
    /** Kernel send buffer of a live stream (Linux doubles it): at 100 ms round trip still over 1 MB/s of alerts. */
    static final int SOCKET_SEND_BUFFER = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AgencyLiveHub.class);

    private final RegistryHolder registry;
    private final Map<Channel, LiveSubscription> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private final ExcerptTailer tailer;
    private final IngestJournal ingestJournal;
    private final IngestReader positions;
    private boolean skipToEnd = true;
    private final IngestRecord record = new IngestRecord();
    private final LatestPositions latest = new LatestPositions();
    private volatile java.util.function.Consumer<ObjectNode> broadcast;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final Counter closedByRevalidation;
    private final Counter slowDisconnected;
    private final WriteBufferWaterMark backlog;

    /**
     * @param journal       the alerts journal to tail; null in Kafka mode, where {@link KafkaLiveFeed} hands every
     *                      node's alerts to {@link #deliver}
     * @param ingestJournal the Chronicle journal whose fixes feed the position stream; null = no position stream (Kafka)
     * @param backlogBytes  what may wait unsent for one subscriber before it is disconnected
     */
    public AgencyLiveHub(AlertJournal journal, IngestJournal ingestJournal, RegistryHolder registry, MeterRegistry meters,
                         long revalidateMs, int backlogBytes) {
        this.backlog = new WriteBufferWaterMark(backlogBytes / 2, backlogBytes);
        this.registry = registry;
        this.ingestJournal = ingestJournal;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kuzet-live");
            t.setDaemon(true);
            return t;
        });
        try {
            this.tailer = journal == null ? null : thread.submit(() -> journal.createTailer().toEnd()).get();
            this.positions = ingestJournal == null ? null
                    : thread.submit(() -> ingestJournal.createReader().startAfter(ingestJournal.lastIndex())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot tail the alerts journal", e.getCause());
        }
        meters.gauge("kuzet_live_subscribers", subscribers, Map::size);
        closedByRevalidation = Counter.builder("kuzet_live_streams_revoked_total")
                .description("live streams closed because their session ended or their principal changed").register(meters);
        slowDisconnected = Counter.builder("kuzet_live_slow_subscribers_disconnected_total")
                .description("live streams closed because more than http.liveBacklogBytes waited unsent for them").register(meters);
        thread.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::revalidate, revalidateMs, revalidateMs, TimeUnit.MILLISECONDS);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Sends an event (e.g. an escalation with an {@code agencyId}) to the alert subscribers who may see it. */
    public void publish(ObjectNode event) {
        java.util.function.Consumer<ObjectNode> cluster = broadcast;
        if (cluster != null) {
            cluster.accept(event);   // to every node's hub, this one included (LiveBroadcast)
        } else {
            publishLocally(event);
        }
    }

    /** Sends a published event to this node's subscribers only (what {@link LiveBroadcast} does on every node). */
    public void publishLocally(ObjectNode event) {
        long agency = event.path("agencyId").asLong();
        send(agency, true, Json.write(event));
    }

    /**
     * Several nodes: {@link #publish} hands events (escalations, operator actions, command changes) to {@code cluster},
     * which delivers them to every node's {@link #publishLocally}; null = this node only.
     */
    public void broadcastThrough(java.util.function.Consumer<ObjectNode> cluster) {
        this.broadcast = cluster;
    }

    /** Adds a channel whose WebSocket handshake completed; it leaves when it closes. */
    public void subscribe(Channel channel, LiveSubscription subscription) {
        // a fixed kernel send buffer: autotuned, loopback and LAN sockets grow to megabytes the hub cannot see, so a
        // stalled client would hold that much kernel memory on top of its backlog here, and be noticed that much later
        channel.config().setOption(ChannelOption.SO_SNDBUF, SOCKET_SEND_BUFFER);
        channel.config().setWriteBufferWaterMark(backlog);
        subscribers.put(channel, subscription);
        channel.closeFuture().addListener(f -> subscribers.remove(channel));
        if (subscription.positions() && ingestJournal != null) {   // Kafka: KafkaLiveFeed follows the ingest topic
            // every fix journaled from now on reaches it: the reader starts after the index as of this moment
            long from = ingestJournal.lastIndex();
            try {
                thread.execute(() -> {
                    if (skipToEnd) {
                        positions.startAfter(from);
                        skipToEnd = false;
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the hub is shutting down
            }
        }
    }

    /** Kafka mode: an alert transition read from the alerts topic (any node evaluated it), for this node's subscribers. */
    public void deliver(Alert alert) {
        sendAlert(alert);
    }

    /** Kafka mode: a coalesced position ({@link LatestPositions}) read from the ingest topic, for this node's subscribers. */
    void deliverPosition(long agencyId, String json) {
        send(agencyId, false, json);
    }

    /** True while a subscriber of this node wants positions (Kafka mode reads the ingest topic only then). */
    public boolean wantsPositions() {
        return subscribers.values().stream().anyMatch(LiveSubscription::positions);
    }

    /** Core thread: a new alert is in the journal; poll now rather than at the next period. */
    @Override
    public void onAlert(Alert alert) {
        if (!subscribers.isEmpty() && wakeUpPending.compareAndSet(false, true)) {
            try {
                thread.execute(this::poll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakeUpPending.set(false);
            }
        }
    }

    private void poll() {
        wakeUpPending.set(false);
        try {
            if (tailer != null) {
                AlertJournal.readFrom(tailer, (alert, index) -> sendAlert(alert), 1000);
            }
        } catch (RuntimeException e) {
            LOG.warn("live stream could not read the alerts journal: {}", e.toString());
        }
        try {
            pollPositions();
        } catch (RuntimeException e) {
            LOG.warn("live stream could not read the ingest journal: {}", e.toString());
        }
    }

    private void revalidate() {
        subscribers.forEach((channel, sub) -> {
            Principal now;
            try {
                now = sub.authenticator().authenticate(sub.token());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("live stream of {} could not be re-validated, kept open: {}", sub.principal().username(), e.toString());
                return;
            }
            if (now == null) {
                close(channel, sub, CLOSE_SESSION_ENDED, "session ended");
            } else if (!now.equals(sub.principal())) {
                close(channel, sub, CLOSE_PRINCIPAL_CHANGED, "role or agency changed");
            } else if (channel.isActive()) {
                channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
            }
        });
    }

    private void close(Channel channel, LiveSubscription sub, int code, String reason) {
        subscribers.remove(channel);
        closedByRevalidation.increment();
        LOG.info("live stream of {} from {} closed: {}", sub.principal().username(), channel.remoteAddress(), reason);
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Coalesces the fixes journaled since the last poll to the newest per subject and pushes those. */
    private void pollPositions() {
        if (positions == null) {
            return;   // journal.kind=kafka: KafkaLiveFeed reads the ingest topic and calls deliverPosition
        }
        if (subscribers.values().stream().noneMatch(LiveSubscription::positions)) {
            // nobody wants positions: decode nothing, and move to the journal's end only when someone asks again
            // (moving the reader every poll re-created its wires 20 times a second: 14 % of the server's allocation)
            skipToEnd = true;
            return;
        }
        if (skipToEnd) {
            return; // a positions subscriber just arrived: its subscribe task moves the reader
        }
        int read = 0;
        while (read < 20_000 && positions.next(record)) {
            read++;
            latest.add(record, registry.snapshot());
        }
        latest.flush(registry.snapshot(), (agency, json) -> send(agency, false, json));
    }

    private void sendAlert(Alert alert) {
        if (subscribers.isEmpty()) {
            return;
        }
        SubjectRecord subject = registry.snapshot().subject(alert.subjectId());
        long agency = subject == null ? -1 : subject.agencyId();
        ObjectNode node = AlertJson.toNode(alert);
        node.put("agencyId", Long.toString(agency));
        send(agency, true, Json.write(node));
    }

    private void send(long agency, boolean alert, String json) {
        subscribers.forEach((channel, sub) -> {
            if (!sub.principal().sees(agency) || (alert ? !sub.alerts() : !sub.positions())) {
                return;
            }
            if (channel.isWritable()) {
                channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
            } else if (subscribers.remove(channel) != null) {
                slowDisconnected.increment();
                LOG.warn("live subscriber {} ({}) fell more than {} bytes behind; disconnecting it", channel.remoteAddress(),
                        sub.principal().username(), backlog.high());
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
        if (tailer != null) {
            tailer.close();
        }
        if (positions != null) {
            positions.close();
        }
        subscribers.keySet().forEach(Channel::close);
    }
}
