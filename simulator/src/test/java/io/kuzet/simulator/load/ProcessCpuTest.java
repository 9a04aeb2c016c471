package io.kuzet.simulator.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The /proc readings behind the load run's CPU per stored fix, and the /metrics values it divides by. */
class ProcessCpuTest {
    @Test
    void statLineIsReadAfterTheCommandNameWhateverItHolds() {
        String stat = "4242 (postgres: walwriter ) x) S 17 4242 4242 0 -1 4194368 95 0 0 0 123 45 6 7 20 0 1 0 1000 "
                + "220000000 1200 18446744073709551615 0 0 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0";
        assertArrayEquals(new long[] {17, 123, 45, 6, 7}, ProcessCpu.parse(stat), "ppid, utime, stime, cutime, cstime");
    }

    @Test
    void procReadingAgreesWithTheJvmsOwnProcessCpuTime() {
        assumeTrue(ProcessCpu.available(), "no /proc here");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long pid = ProcessHandle.current().pid();
        long procBefore = ProcessCpu.nanos(pid, false);
        long jvmBefore = os.getProcessCpuTime();
        long x = 0;
        while (os.getProcessCpuTime() - jvmBefore < 300_000_000L) { // spin until the JVM itself counts 0.3 s of CPU
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        long procSpent = ProcessCpu.nanos(pid, false) - procBefore;
        long jvmSpent = os.getProcessCpuTime() - jvmBefore;
        // both read the same kernel counters; /proc/<pid>/stat rounds to 10 ms ticks
        assertEquals(jvmSpent, procSpent, 50_000_000L, "CPU of this process (" + x + ")");
        long root = ProcessCpu.nanos(pid, true);
        assertTrue(ProcessCpu.treeNanos(pid) >= root, "the tree includes the root");
    }

    @Test
    void threadsOfOnePoolAreOneFamily() {
        assertEquals("kuzet-io", ProcessCpu.threadFamily("kuzet-io-4-1"));
        assertEquals("GC Thread", ProcessCpu.threadFamily("GC Thread#0"));
        assertEquals("C2 CompilerThre", ProcessCpu.threadFamily("C2 CompilerThre"), "a number inside a name stays");
        assertEquals("kuzet-core", ProcessCpu.threadFamily("kuzet-core"));
        assertEquals("kuzet-http-io", ProcessCpu.threadFamily("kuzet-http-io-5"), "cut to 15 characters by Linux");
        assertEquals("kuzet-api", ProcessCpu.threadFamily("kuzet-api-"), "cut just after the separator");
        assertEquals("postgres: walwriter ) x", ProcessCpu.threadName("4242 (postgres: walwriter ) x) S 17 4242"));
    }

    @Test
    void aSpinningThreadsCpuIsFoundUnderItsFamilyWhileItLives() throws Exception {
        assumeTrue(ProcessCpu.available(), "no /proc here");
        long pid = ProcessHandle.current().pid();
        java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        long[] ownCpu = new long[1];
        Thread spinner = new Thread(() -> {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long x = 0;
            while (mx.getCurrentThreadCpuTime() < 300_000_000L) {   // 0.3 s of this thread's own CPU
                x += Long.numberOfTrailingZeros(x + System.nanoTime());
            }
            ownCpu[0] = mx.getCurrentThreadCpuTime() + (x == 42 ? 1 : 0);
            spun.countDown();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cpuspin-7");
        spinner.start();
        spun.await();
        try {
            java.util.Map<String, Long> threads = ProcessCpu.threadNanosByFamily(pid);
            // the same kernel counter, rounded to 10 ms ticks
            assertEquals(ownCpu[0], threads.getOrDefault("cpuspin", 0L), 50_000_000L, "by family: " + threads);
        } finally {
            stop.countDown();
            spinner.join();
        }
        assertTrue(!ProcessCpu.threadNanosByFamily(pid).containsKey("cpuspin"), "an exited thread is not listed");
    }

    @Test
    void threadSharesAddUpToTheProcessWithExitedThreadsAsTheRemainder() {
        java.util.List<CpuPerFix.ThreadShare> shares = CpuPerFix.threadShares(
                java.util.Map.of("kuzet-io", 1_000_000_000L, "kuzet-core", 500_000_000L),
                java.util.Map.of("kuzet-io", 3_000_000_000L, "kuzet-core", 1_500_000_000L, "GC Thread", 500_000_000L),
                4_000_000_000.0, 10.0, 1_000_000);
        assertEquals(java.util.List.of("kuzet-io", "kuzet-core", "GC Thread", CpuPerFix.EXITED_THREADS),
                shares.stream().map(CpuPerFix.ThreadShare::family).toList(), "largest first, remainder last");
        assertEquals(0.2, shares.get(0).cores(), 1e-9);
        assertEquals(2.0, shares.get(0).usPerStoredFix(), 1e-9);
        assertEquals(0.5, shares.get(3).usPerStoredFix(), 1e-9, "4 s of process CPU less 3.5 s in live threads");
    }

    @Test
    void metricValuesAreFoundByNameAndLabel() {
        String scrape = """
                # HELP kuzet_storage_lag_entries journal entries not yet stored
                kuzet_storage_lag_entries{journal="alerts"} 3.0
                kuzet_storage_lag_entries{journal="positions"} 1234.0
                kuzet_storage_rows_written_total{table="device_events"} 5.0
                kuzet_storage_rows_written_total{table="positions"} 987654.0
                """;
        assertEquals(1234.0, ServerProbe.metric(scrape, "kuzet_storage_lag_entries{", "journal=\"positions\""));
        assertEquals(987654.0, ServerProbe.metric(scrape, "kuzet_storage_rows_written_total{", "table=\"positions\""));
        assertTrue(Double.isNaN(ServerProbe.metric(scrape, "kuzet_storage_lag_seconds{", "journal=\"positions\"")));
    }
}
