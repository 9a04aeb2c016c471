package io.kuzet.simulator.load;

/** One second of a load run: acked positions, ack latency percentiles and alerts received. Immutable. */
public record SeriesPoint(double elapsedS, double positionsPerSecond, double ackP50Ms, double ackP99Ms, long alerts) {
}
