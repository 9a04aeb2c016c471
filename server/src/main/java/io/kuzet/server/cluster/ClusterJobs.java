package io.kuzet.server.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node runs the scheduled jobs that write state shared by every node (escalation, positions retention, command
 * expiry; docs/scale-out.md): the one holding a PostgreSQL session advisory lock, taken with
 * {@code pg_try_advisory_lock} on a connection this object keeps open. The other nodes try again every
 * {@code checkMs}; when the leader stops (its connection closes, a {@code kill -9} included, as PostgreSQL ends the
 * session), the first of them to try takes over. The leader checks its connection as often, and steps down when it is
 * no longer valid (database restart, network loss), so two nodes run the jobs at once for at most about one check
 * interval, and only when the leader's connection dies without the leader noticing; every job is idempotent or
 * serialised in the database as well.
 *
 * <p>With one node (the embedded journal) use {@link #single()}: always the leader, nothing held. Thread-safe.
 */
public final class ClusterJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobs.class);
    /** The advisory lock's key: "kuzet" + 2 ({@code PartitionMaintenance} uses + 1). */
    public static final long LOCK_KEY = 0x6B757A6574_02L;

    private final DataSource dataSource;
    private final String node;
    private final ScheduledExecutorService thread;
    private Connection held;   // the check thread only
    private volatile boolean leader;

    private ClusterJobs() {
        this.dataSource = null;
        this.node = "single";
        this.thread = null;
        this.leader = true;
    }

    /**
     * Starts competing for the lock now (one attempt before returning) and again every {@code checkMs}.
     *
     * @param node how this node is named in the logs and in {@code pg_stat_activity.application_name} of the lock's
     *             connection (an operator finds the leader with the query in docs/scale-out.md)
     */
    public ClusterJobs(DataSource dataSource, String node, long checkMs) {
        this.dataSource = dataSource;
        this.node = node;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kuzet-cluster-jobs");
            t.setDaemon(true);
            return t;
        });
        try {
            thread.submit(this::check).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("first attempt at the cluster jobs lock failed: {}", e.toString());
        }
        thread.scheduleWithFixedDelay(this::check, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    /** One node only: it runs every job. */
    public static ClusterJobs single() {
        return new ClusterJobs();
    }

    /** True while this node runs the cluster-wide jobs. */
    public boolean isLeader() {
        return leader;
    }

    /** Exposes {@code kuzet_cluster_leader} (1 on the node that runs the cluster-wide jobs, else 0). */
    public ClusterJobs bindTo(MeterRegistry meters) {
        Gauge.builder("kuzet_cluster_leader", this, j -> j.leader ? 1 : 0)
                .description("1 on the node that runs the cluster-wide jobs (escalation, retention, command expiry), else 0")
                .register(meters);
        return this;
    }

    /** Runs {@code job} if this node is the leader now; returns whether it ran. */
    public boolean runIfLeader(Runnable job) {
        if (!leader) {
            return false;
        }
        job.run();
        return true;
    }

    private void check() {
        try {
            if (held != null) {
                if (held.isValid(5)) {
                    return;
                }
                LOG.warn("{} lost its database session; it no longer runs the cluster-wide jobs", node);
                leader = false;
                closeQuietly(held);
                held = null;
            }
            Connection c = dataSource.getConnection();
            boolean locked = false;
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    locked = rs.next() && rs.getBoolean(1);
                }
            } finally {
                if (!locked) {
                    c.close();
                }
            }
            if (!locked) {
                return;
            }
            held = c;
            leader = true;
            LOG.info("{} runs the cluster-wide jobs (escalation, positions retention, command expiry)", node);
            try (PreparedStatement name = c.prepareStatement("select set_config('application_name', ?, false)")) {
                name.setString(1, "kuzet cluster jobs: " + node);
                name.execute();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cluster jobs lock check failed: {}", e.toString());
        }
    }

    /** Releases the lock (another node takes over at its next check) and stops competing. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leader = false;
        Connection c = held;
        held = null;
        if (c != null) {
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?), set_config('application_name', '', false)")) {
                ps.setLong(1, LOCK_KEY);
                ps.execute();
            } catch (SQLException e) {
                LOG.debug("advisory unlock failed (the session ends anyway): {}", e.toString());
            }
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already gone
        }
    }
}
