package io.kuzet.simulator.demo;

import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.FleetDriver;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The demo: a fleet of a few hundred bracelets around Almaty and Astana streaming into an in-process server, with
 * simulated time running {@code speed} times faster than the wall clock (so a day of routines passes in an hour at
 * speed 24) and violations frequent enough to be seen within minutes. Runs until interrupted or {@code durationS}
 * elapses. One run per instance.
 */
public final class DemoRun {
    private static final long STEP_MS = 15_000;

    private final InProcessServer server;
    private final int subjects;
    private final double speed;
    private final long seed;

    public DemoRun(InProcessServer server, int subjects, double speed, long seed) {
        this.server = server;
        this.subjects = subjects;
        this.speed = speed;
        this.seed = seed;
    }

    public void run(long durationS, Consumer<String> progress) throws Exception {
        SimClock clock = server.clock();
        long startMs = clock.getAsLong();
        int days = (int) Math.max(1, Math.ceil(durationS <= 0 ? 30 : durationS * speed / 86_400.0));
        Fleet fleet = new FleetFactory(seed).exclusionVisitPerDay(0.5).curfewBreachPerDay(0.3).create(subjects, startMs, days);
        server.provision(fleet);
        try (DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", server.kuzetPort(), 1, 0);
             FleetDriver driver = new FleetDriver(fleet, group, f -> { })) {
            driver.connectAll();
            progress.accept("demo: " + subjects + " bracelets connected; simulated time runs " + speed + "x");
            long wallStart = System.nanoTime();
            long nextReportMs = startMs;
            for (long t = startMs; t < fleet.endMs(); t += STEP_MS) {
                long dueNanos = wallStart + (long) ((t - startMs) / speed * 1_000_000);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (durationS > 0 && System.nanoTime() - wallStart > durationS * 1_000_000_000L) {
                    break;
                }
                clock.advanceTo(t);
                driver.step(t);
                server.tick();
                if (t >= nextReportMs) {
                    progress.accept(String.format("demo: simulated %s, %,d fixes sent, %d alerts raised so far",
                            java.time.Instant.ofEpochMilli(t), driver.fixesSent(), server.alerts().stream()
                                    .filter(a -> a.phase() == io.kuzet.server.alert.Alert.Phase.RAISED).count()));
                    nextReportMs = t + 3_600_000L;
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
    }
}
