package io.kuzet.simulator.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU time of processes from Linux {@code /proc/<pid>/stat}: user + system time of the process (all its threads) and,
 * optionally, what its exited and reaped children used ({@code cutime + cstime}). Times are in clock ticks of
 * {@link #TICK_NANOS} (USER_HZ, 100 on every Linux this runs on). Reading another user's process needs no privilege.
 * Stateless.
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of the times in {@code /proc/<pid>/stat} (fixed at 100 by the kernel's ABI). */
    public static final long TICK_NANOS = 10_000_000L;

    private ProcessCpu() {
    }

    /** Whether {@code /proc} can be read here (Linux). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** CPU time of {@code pid} in nanoseconds; {@code withReapedChildren} adds its exited children's. -1 when it is gone. */
    public static long nanos(long pid, boolean withReapedChildren) {
        long[] f = fields(pid);
        if (f == null) {
            return -1;
        }
        long ticks = f[UTIME] + f[STIME] + (withReapedChildren ? f[CUTIME] + f[CSTIME] : 0);
        return ticks * TICK_NANOS;
    }

    /**
     * CPU time of a process tree rooted at {@code root} (the root, its live children, and everything the root has
     * reaped), in nanoseconds; -1 when the root is gone. This is how PostgreSQL is measured: the postmaster forks a
     * backend per connection and its background workers (checkpointer, WAL writer...), and reaps them when they exit,
     * so a child that exits between two samples moves from "live child" to the root's {@code cutime} and is counted
     * in both. Grandchildren do not occur in PostgreSQL.
     */
    public static long treeNanos(long root) {
        long total = nanos(root, true);
        if (total < 0) {
            return -1;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                long[] f = fields(pid);
                if (f != null && f[PPID] == root) {
                    total += (f[UTIME] + f[STIME] + f[CUTIME] + f[CSTIME]) * TICK_NANOS;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /**
     * CPU time of each live thread of {@code pid} in nanoseconds ({@code /proc/<pid>/task/<tid>/stat}), summed by
     * {@linkplain #threadFamily thread family}; empty when the process is gone. A thread that exited is not listed:
     * its time stays in the process total ({@link #nanos}) only.
     */
    public static Map<String, Long> threadNanosByFamily(long pid) {
        Map<String, Long> byFamily = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue;   // the thread exited while we listed
                }
                long[] f = parse(stat);
                if (f != null) {
                    byFamily.merge(threadFamily(threadName(stat)), (f[UTIME] + f[STIME]) * TICK_NANOS, Long::sum);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byFamily;
    }

    private static final Pattern NUMBERED = Pattern.compile("[-#]\\d+|[-#]$");

    /**
     * The family of a thread: its name without the numbers a pool appends ({@code kuzet-io-4-1} and
     * {@code kuzet-io-4-2} are both {@code kuzet-io}; {@code GC Thread#0} is {@code GC Thread}). Linux keeps the first
     * 15 characters of a name ({@code C2 CompilerThre}).
     */
    static String threadFamily(String name) {
        String family = NUMBERED.matcher(name).replaceAll("");
        return family.isEmpty() ? name : family;
    }

    /** The command (thread) name between the first '(' and the last ')' of a stat line. */
    static String threadName(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open < 0 || close <= open ? "?" : stat.substring(open + 1, close);
    }

    private static final int PPID = 0;
    private static final int UTIME = 1;
    private static final int STIME = 2;
    private static final int CUTIME = 3;
    private static final int CSTIME = 4;

    /** {ppid, utime, stime, cutime, cstime} or null. The command name may hold spaces and ')': parse after the last ')'. */
    static long[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
        return parse(stat);
    }

    static long[] parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        // rest[0] = state (field 3), so field n is rest[n - 3]: ppid 4, utime 14, stime 15, cutime 16, cstime 17
        if (rest.length < 15) {
            return null;
        }
        return new long[] {Long.parseLong(rest[1]), Long.parseLong(rest[11]), Long.parseLong(rest[12]),
                Long.parseLong(rest[13]), Long.parseLong(rest[14])};
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
