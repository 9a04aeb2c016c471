package io.kuzet.simulator.demo;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.journal.Protocol;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.FleetDriver;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.target.SimClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The demo: a fleet of a few hundred bracelets around Almaty and Astana streaming into a server provisioned with it
 * ({@link DemoServer}), with simulated time running {@code speed} times faster than the wall clock (so a day of
 * routines passes in an hour at speed 24) and violations frequent enough to be seen within minutes. Runs until
 * interrupted, the fleet's period ends or {@code durationS} elapses. One run per instance.
 */
public final class DemoRun {
    private static final long STEP_MS = 15_000;

    private final KuzetServer server;
    private final SimClock clock;
    private final Fleet fleet;
    private final double speed;

    public DemoRun(KuzetServer server, SimClock clock, Fleet fleet, double speed) {
        this.server = server;
        this.clock = clock;
        this.fleet = fleet;
        this.speed = speed;
    }

    /** The demo's fleet: enough simulated days for {@code durationS} wall seconds at {@code speed} (30 when unbounded). */
    public static Fleet fleet(long seed, int subjects, long startMs, long durationS, double speed) {
        int days = (int) Math.max(1, Math.ceil(durationS <= 0 ? 30 : durationS * speed / 86_400.0));
        return new FleetFactory(seed).exclusionVisitPerDay(0.5).curfewBreachPerDay(0.3).create(subjects, startMs, days);
    }

    public void run(long durationS, Consumer<String> progress) throws Exception {
        long startMs = fleet.startMs();
        clock.advanceTo(startMs);
        try (DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", server.port(Protocol.KUZET), 1, 0);
             FleetDriver driver = new FleetDriver(fleet, group, f -> { })) {
            driver.connectAll();
            progress.accept("demo: " + fleet.subjects().size() + " bracelets connected; simulated time runs " + speed + "x");
            long wallStart = System.nanoTime();
            long nextReportMs = startMs;
            for (long t = startMs; t < fleet.endMs(); t += STEP_MS) {
                long dueNanos = wallStart + (long) ((t - startMs) / speed * 1_000_000);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (Thread.currentThread().isInterrupted()
                        || durationS > 0 && System.nanoTime() - wallStart > durationS * 1_000_000_000L) {
                    break;
                }
                clock.advanceTo(t);
                driver.step(t);
                server.tick(t);
                if (t >= nextReportMs) {
                    progress.accept(String.format("demo: simulated %s, %,d fixes sent, %d alerts raised so far",
                            Instant.ofEpochMilli(t), driver.fixesSent(), raisedAlerts()));
                    nextReportMs = t + 3_600_000L;
                }
            }
        }
    }

    private long raisedAlerts() {
        AtomicLong raised = new AtomicLong();
        server.alertJournal().readAll((alert, index) -> {
            if (alert.phase() == Alert.Phase.RAISED) {
                raised.incrementAndGet();
            }
        });
        return raised.get();
    }
}
