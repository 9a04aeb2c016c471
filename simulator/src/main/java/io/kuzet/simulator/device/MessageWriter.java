package io.kuzet.simulator.device;

import io.netty.buffer.ByteBuf;

/** Encodes one device data message with the sequence the device assigned to it (a KuzetEncoder call). */
@FunctionalInterface
public interface MessageWriter {
    void write(ByteBuf out, long sequence);
}
