package io.kuzet.simulator.load;

import java.util.List;

/**
 * Outcome of a load run over its measured window (after warm-up). Immutable; written as JSON and charted.
 *
 * @param heapPerIdleDeviceBytes used heap per connected idle device after a GC (client and server, when in-process);
 *                               -1 when not measured
 * @param alertsExpected         deciding violating fixes sent in the window (each should raise one alert)
 * @param cpu                    CPU per stored fix of a server on this machine; null when not measured
 */
public record LoadResult(LoadOptions options, String target, double measuredSeconds, long positionsAcked,
                         double positionsPerSecond, double messagesPerSecond, LatencySummary ackLatency,
                         LatencySummary fixToAlert, long alertsExpected, long heapPerIdleDeviceBytes, List<SeriesPoint> series,
                         CpuPerFix cpu) {
}
