package io.kuzet.simulator.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * CPU time per stored fix over a load run's measured window: from the end of the warm-up until storage had caught up
 * after the last send (or the drain timeout). Immutable; part of {@link LoadResult}.
 *
 * @param positionsStored    positions the server stored in the window ({@code kuzet_storage_rows_written_total})
 * @param windowSeconds      wall time of the window, drain included
 * @param drainSeconds       of which spent after the last send waiting for storage to catch up
 * @param lagAtSendEnd       journal entries not yet stored when sending stopped
 * @param lagSecondsAtSendEnd age of the oldest of them ({@code kuzet_storage_lag_seconds}; NaN on older servers)
 * @param lagAtEnd           the same at the end of the window (0 unless the drain timed out)
 * @param serverUs           server process CPU per stored fix, microseconds
 * @param databaseUs         PostgreSQL (postmaster and children) CPU per stored fix, microseconds
 * @param serverCores        server CPU over the window in cores (CPU seconds per wall second)
 * @param databaseCores      the same for PostgreSQL
 * @param serverUsPerAcked   server CPU per acked fix while sending (warm-up end to last send, no drain): the ack
 *                           path's share, comparable with {@code serverUs} when storage keeps up
 * @param serverThreads      the server's CPU over the window by thread family, largest first, adding up to
 *                           {@code serverUs}: where it goes (I/O event loops, evaluation core, storage writer, GC, JIT...)
 */
public record CpuPerFix(double positionsStored, double windowSeconds, double drainSeconds, double lagAtSendEnd, double lagSecondsAtSendEnd,
                        double lagAtEnd,
                        double serverUs, double databaseUs, double serverCores, double databaseCores,
                        double serverUsPerAcked, List<ThreadShare> serverThreads) {

    /** Family of threads that exited inside the window: their time is in the process total only. */
    public static final String EXITED_THREADS = "(threads that exited)";

    /**
     * One thread family's CPU over the window.
     *
     * @param family         thread name without pool numbers ({@link ProcessCpu#threadFamily})
     * @param cores          CPU seconds per wall second
     * @param usPerStoredFix microseconds per stored fix
     */
    public record ThreadShare(String family, double cores, double usPerStoredFix) {
    }

    public double totalUs() {
        return serverUs + databaseUs;
    }

    static CpuPerFix between(ServerProbe.Sample from, ServerProbe.Sample sendEnd, ServerProbe.Sample to, long ackedWhileSending) {
        double stored = to.positionsStored() - from.positionsStored();
        double seconds = (to.atNanos() - from.atNanos()) / 1e9;
        double serverNs = to.serverCpuNanos() - from.serverCpuNanos();
        double databaseNs = to.databaseCpuNanos() - from.databaseCpuNanos();
        return new CpuPerFix(stored, seconds, (to.atNanos() - sendEnd.atNanos()) / 1e9, sendEnd.lagEntries(), sendEnd.lagSeconds(), to.lagEntries(),
                stored > 0 ? serverNs / 1e3 / stored : Double.NaN, stored > 0 ? databaseNs / 1e3 / stored : Double.NaN,
                serverNs / 1e9 / seconds, databaseNs / 1e9 / seconds,
                ackedWhileSending > 0 ? (sendEnd.serverCpuNanos() - from.serverCpuNanos()) / 1e3 / ackedWhileSending : Double.NaN,
                threadShares(from.serverThreadNanos(), to.serverThreadNanos(), serverNs, seconds, stored));
    }

    /** Each family's CPU between two samples, plus what is left of the process's (threads that exited), largest first. */
    static List<ThreadShare> threadShares(Map<String, Long> from, Map<String, Long> to, double processNs, double seconds,
                                          double stored) {
        List<ThreadShare> shares = new ArrayList<>();
        double accounted = 0;
        for (Map.Entry<String, Long> e : to.entrySet()) {
            double ns = Math.max(0, e.getValue() - from.getOrDefault(e.getKey(), 0L));
            if (ns > 0) {
                accounted += ns;
                shares.add(share(e.getKey(), ns, seconds, stored));
            }
        }
        if (!to.isEmpty() && processNs - accounted > 0) {
            shares.add(share(EXITED_THREADS, processNs - accounted, seconds, stored));
        }
        shares.sort(Comparator.comparingDouble(ThreadShare::cores).reversed());
        return shares;
    }

    private static ThreadShare share(String family, double ns, double seconds, double stored) {
        return new ThreadShare(family, seconds > 0 ? ns / 1e9 / seconds : Double.NaN, stored > 0 ? ns / 1e3 / stored : Double.NaN);
    }
}
