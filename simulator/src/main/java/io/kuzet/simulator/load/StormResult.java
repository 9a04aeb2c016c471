package io.kuzet.simulator.load;

/**
 * Outcome of a reconnect storm.
 *
 * @param absorbSeconds          first reconnect → last buffered message acked
 * @param everyFixAckedOnce      every device's buffer was acked in full and (in-process) the journal holds each
 *                               (device, sequence) exactly once with nothing missing
 * @param journaledMessages      position messages of the storm found in the journal (-1 when not in-process)
 */
public record StormResult(int devices, int fixesPerDevice, int reconnectWindowS, double absorbSeconds, double fixesPerSecond,
                          long fixesAcked, long journaledMessages, long duplicates, long missing, boolean everyFixAckedOnce) {
}
