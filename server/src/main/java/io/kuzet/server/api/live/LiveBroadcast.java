package io.kuzet.server.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several nodes on one database: the live events a node publishes itself (escalations from the cluster-wide job,
 * operator actions on alerts, device command changes) reach the live streams of every node, through PostgreSQL's
 * {@code NOTIFY} on channel {@value #CHANNEL}: {@link #send} notifies, and every node (the sender included) listens on a
 * connection of its own and hands each event to its hub's {@link AgencyLiveHub#publishLocally}. Alert transitions do
 * not need this: every node reads them from the alerts topic ({@link KafkaLiveFeed}).
 *
 * <p>When the notification cannot be sent (database down) the event goes to this node's subscribers only; an event
 * sent while a node's listening connection is being re-established is missed there (the console reloads its queue
 * on reconnect). Payloads are small JSON objects (PostgreSQL's limit is 8000 bytes). One listening thread.
 */
public final class LiveBroadcast implements AutoCloseable {
    static final String CHANNEL = "kuzet_live";
    private static final Logger LOG = LoggerFactory.getLogger(LiveBroadcast.class);

    private final DataSource dataSource;
    private final AgencyLiveHub hub;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    /** Starts listening and routes {@code hub}'s published events through the database. */
    public LiveBroadcast(DataSource dataSource, AgencyLiveHub hub) {
        this.dataSource = dataSource;
        this.hub = hub;
        this.thread = new Thread(this::listen, "kuzet-live-broadcast");
        thread.setDaemon(true);
        thread.start();
        hub.broadcastThrough(this::send);
    }

    /** True while the listening connection is up (tests wait for it before publishing). */
    public boolean listening() {
        return listening;
    }

    /** Notifies every node of {@code event}; on failure delivers it to this node's subscribers only. */
    void send(ObjectNode event) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select pg_notify('" + CHANNEL + "', ?)")) {
            ps.setString(1, Json.write(event));
            ps.execute();
        } catch (SQLException e) {
            LOG.warn("live event could not be sent to the other nodes ({}); this node's streams only", e.toString());
            hub.publishLocally(event);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + CHANNEL);
                }
                listening = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        deliver(n.getParameter());
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("unlisten " + CHANNEL);
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    LOG.warn("live events of the other nodes not received ({}); listening again in 1 s", e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
        listening = false;
    }

    private void deliver(String payload) {
        try {
            JsonNode event = Json.parse(payload.getBytes(StandardCharsets.UTF_8));
            if (event instanceof ObjectNode object) {
                hub.publishLocally(object);
            }
        } catch (RuntimeException e) {
            LOG.warn("live event from another node not understood, dropped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        hub.broadcastThrough(null);
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
