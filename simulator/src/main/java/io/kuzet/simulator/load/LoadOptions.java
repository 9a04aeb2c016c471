package io.kuzet.simulator.load;

/**
 * Settings of a load run.
 *
 * @param ratePositionsPerSecond 0 = as fast as acks allow (each device keeps {@code windowMessages} in flight)
 * @param violatorShare          share of devices that walk in and out of the exclusion zone (fix-to-alert latency)
 * @param protocol               {@code kuzet} or {@code gt06} (one fix per frame, acked per frame)
 */
public record LoadOptions(String protocol, int devices, int durationS, int warmupS, int ratePositionsPerSecond, int fixesPerMessage,
                          int windowMessages, double violatorShare, int clientThreads, int devicesPerSourceAddress, long seed) {
}
