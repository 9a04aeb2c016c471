package io.kuzet.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.metrics.IngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackpressureGateTest {
    @Test
    void socketsStopBeingReadWhileTheCoreLagsAndResumeBelowTheLowWatermark() {
        AtomicLong lag = new AtomicLong();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BackpressureGate gate = new BackpressureGate(lag::get, 1000, 100, new IngestMetrics(meters));
        EmbeddedChannel device = new EmbeddedChannel();

        gate.afterFrame(device);
        assertTrue(device.config().isAutoRead(), "no lag, keep reading");

        lag.set(5000);
        gate.afterFrame(device);
        assertFalse(device.config().isAutoRead(), "core far behind: stop reading rather than queue without bound");
        assertEquals(1.0, meters.get("kuzet_backpressure_pauses").counter().count());

        lag.set(500);
        gate.poll();
        assertFalse(device.config().isAutoRead(), "between the watermarks: still paused (hysteresis)");

        lag.set(50);
        gate.poll();
        assertTrue(device.config().isAutoRead());
        assertEquals(0, gate.pausedChannels());
        device.finishAndReleaseAll();
    }
}
