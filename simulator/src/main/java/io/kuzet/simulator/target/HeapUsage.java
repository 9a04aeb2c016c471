package io.kuzet.simulator.target;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;

/** Used heap of this JVM after asking for full GCs: a coarse probe for per-connection heap cost. Thread-safe. */
public final class HeapUsage {
    private HeapUsage() {
    }

    public static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(100_000_000);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
