package io.kuzet.server.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one database compete for the cluster-wide jobs (escalation, retention, command expiry): exactly one runs
 * them, and when it stops or loses its database session one node runs them again within a few check intervals.
 */
class ClusterJobsTest {
    private static final long CHECK_MS = 100;
    private final Database db = SharedPostgres.database();

    @Test
    void aScheduledClusterJobRunsOnExactlyOneOfTwoNodesAndTheOtherTakesOverWhenThatNodeStops() throws Exception {
        AtomicInteger runsOnA = new AtomicInteger();
        AtomicInteger runsOnB = new AtomicInteger();
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        try (ClusterJobs a = new ClusterJobs(db.dataSource(), "node-a", CHECK_MS).bindTo(metersA);
             ClusterJobs b = new ClusterJobs(db.dataSource(), "node-b", CHECK_MS).bindTo(metersB)) {
            for (int run = 0; run < 10; run++) {   // each node's scheduler fires the job; only the leader's runs it
                a.runIfLeader(runsOnA::incrementAndGet);
                b.runIfLeader(runsOnB::incrementAndGet);
                Thread.sleep(CHECK_MS / 2);
            }
            assertEquals(10, runsOnA.get() + runsOnB.get(), "each scheduled run ran once across the two nodes");
            assertTrue(runsOnA.get() == 10 || runsOnB.get() == 10, "and always on the same node: A " + runsOnA + ", B " + runsOnB);
            assertEquals(1.0, metersA.get("kuzet_cluster_leader").gauge().value() + metersB.get("kuzet_cluster_leader").gauge().value(),
                    "kuzet_cluster_leader is 1 on exactly one node");

            ClusterJobs leader = a.isLeader() ? a : b;
            ClusterJobs other = leader == a ? b : a;
            leader.close();
            await().atMost(Duration.ofSeconds(10)).until(other::isLeader);
            assertFalse(leader.isLeader());
            AtomicInteger after = new AtomicInteger();
            assertTrue(other.runIfLeader(after::incrementAndGet));
            assertFalse(leader.runIfLeader(after::incrementAndGet));
            assertEquals(1, after.get());
        }
    }

    @Test
    void aLeaderWhoseDatabaseSessionIsKilledStopsRunningTheJobsAndOneNodeRunsThemAgain() throws Exception {
        try (ClusterJobs a = new ClusterJobs(db.dataSource(), "node-a", CHECK_MS);
             ClusterJobs b = new ClusterJobs(db.dataSource(), "node-b", CHECK_MS)) {
            ClusterJobs leader = a.isLeader() ? a : b;
            String name = leader == a ? "node-a" : "node-b";
            long pid = lockHolderPid();
            assertTrue(pid > 0, "the leader's session holds the lock");
            assertEquals("kuzet cluster jobs: " + name, applicationName(pid), "an operator finds the leader in pg_stat_activity");
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(?::int)")) {
                kill.setLong(1, pid);
                kill.execute();
            }
            // the lock was released with the session: the leader notices at its next check, and a node takes the lock again
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                long holder = lockHolderPid();
                return holder > 0 && holder != pid && (a.isLeader() ^ b.isLeader());
            });
        }
    }

    /** The backend holding the cluster jobs' advisory lock, or 0. */
    private long lockHolderPid() throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select pid from pg_locks where locktype = 'advisory' and granted"
                     + " and classid::bigint = ? and objid::bigint = ? and objsubid = 1")) {
            ps.setLong(1, ClusterJobs.LOCK_KEY >>> 32);
            ps.setLong(2, ClusterJobs.LOCK_KEY & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private String applicationName(long pid) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select application_name from pg_stat_activity where pid = ?")) {
            ps.setLong(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
