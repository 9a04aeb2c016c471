package io.kuzet.protocol.gt06;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running a piece of code, from the JVM's per-thread counter. */
public final class Allocations {
    private Allocations() {
    }

    /** Runs {@code work} once to warm up (class loading, JIT), then again, measuring only the second run. */
    public static long bytesAllocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        work.run();
        long before = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
