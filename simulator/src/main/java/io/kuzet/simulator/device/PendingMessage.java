package io.kuzet.simulator.device;

/** A data message in the device's store-and-forward buffer until an ACK covers it. Event-loop confined. */
final class PendingMessage {
    final long sequence;
    final byte[] frame;   // the encoded frame, resent byte for byte
    final int fixes;
    long sentNanos;

    PendingMessage(long sequence, byte[] frame, int fixes) {
        this.sequence = sequence;
        this.frame = frame;
        this.fixes = fixes;
    }
}
