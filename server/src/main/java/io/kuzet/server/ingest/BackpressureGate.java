package io.kuzet.server.ingest;

import io.kuzet.server.metrics.IngestMetrics;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Stops reading from device sockets while the evaluation core lags too far behind the journal, instead of letting
 * work pile up without bound: a channel that delivers a frame while the lag is above the high watermark has
 * {@code autoRead} switched off; {@link #poll()} (called periodically) switches it back on once the lag is below the
 * low watermark. Devices see slower acks and keep their data buffered meanwhile. Thread-safe.
 */
public final class BackpressureGate {
    private final LongSupplier lag;
    private final long highWatermark;
    private final long lowWatermark;
    private final IngestMetrics metrics;
    private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
    private volatile boolean engaged;

    public BackpressureGate(LongSupplier lag, long highWatermark, long lowWatermark, IngestMetrics metrics) {
        this.lag = lag;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.metrics = metrics;
    }

    /** Called after each accepted frame; pauses the channel when the core is too far behind. */
    public void afterFrame(Channel channel) {
        if (engaged || lag.getAsLong() > highWatermark) {
            engaged = true;
            if (paused.add(channel)) {
                channel.config().setAutoRead(false);
                metrics.backpressurePause();
            }
        }
    }

    /** Resumes paused channels once the lag has dropped below the low watermark. */
    public void poll() {
        if (engaged && lag.getAsLong() < lowWatermark) {
            engaged = false;
            for (Channel channel : paused) {
                paused.remove(channel);
                channel.config().setAutoRead(true);
            }
        }
    }

    public int pausedChannels() {
        return paused.size();
    }
}
