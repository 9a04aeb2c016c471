package io.kuzet.simulator.load;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in nanoseconds, in milliseconds. Immutable. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {
    public static LatencySummary of(Histogram nanos) {
        return new LatencySummary(nanos.getTotalCount(), ms(nanos.getValueAtPercentile(50)), ms(nanos.getValueAtPercentile(90)),
                ms(nanos.getValueAtPercentile(99)), ms(nanos.getValueAtPercentile(99.9)), ms(nanos.getMaxValue()));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
