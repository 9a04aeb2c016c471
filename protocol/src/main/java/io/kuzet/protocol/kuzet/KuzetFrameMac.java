package io.kuzet.protocol.kuzet;

import static io.kuzet.protocol.kuzet.KuzetFrame.CRC_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.HEADER_LENGTH;
import static io.kuzet.protocol.kuzet.KuzetFrame.LENGTH_OFFSET;
import static io.kuzet.protocol.kuzet.KuzetFrame.TAG_FLAG;
import static io.kuzet.protocol.kuzet.KuzetFrame.TYPE_OFFSET;

import io.netty.buffer.ByteBuf;

/**
 * Per-frame authentication of one Kuzet session (docs/protocol.md §3.2): after a LOGIN that asked for it, every frame
 * in both directions carries {@code tag = SipHash-2-4(directionKey, counter || header || payload)}, 8 bytes, between
 * payload and CRC, with bit 7 of the type byte set.
 *
 * <pre>
 *  +-------+-----+------------+--------+----------+---------+---------------+---------+
 *  | 'K''Z'| ver | type|0x80  | length | sequence | payload |      tag      | CRC-32C |
 *  +-------+-----+------------+--------+----------+---------+---------------+---------+
 *  |&lt;------------ tag input (after the 8-byte counter) ------&gt;|  u64, LE     |
 *  |&lt;------------------------- CRC-32C input ------------------------------&gt;|
 * </pre>
 *
 * The counter is implicit: the number of tagged frames sent before in the same direction on this connection (the
 * first is 0), as 8 bytes big-endian. So a frame that is altered, replayed (on this or another connection, whose key
 * differs) or reordered does not verify. The direction keys are the halves of {@link KuzetAuth#sessionKey}.
 *
 * <p>One instance per connection, used on one thread (not thread-safe). {@link #seal} and {@link #open} allocate
 * nothing; each costs one SipHash pass over the header and payload.
 */
public final class KuzetFrameMac {
    private final long sendK0;
    private final long sendK1;
    private final long receiveK0;
    private final long receiveK1;
    private long sendCounter;
    private long receiveCounter;

    private KuzetFrameMac(byte[] sessionKey32, int sendOffset, int receiveOffset) {
        if (sessionKey32.length != 32) {
            throw new IllegalArgumentException("session key must be 32 bytes, got " + sessionKey32.length);
        }
        this.sendK0 = SipHash24.littleEndian(sessionKey32, sendOffset);
        this.sendK1 = SipHash24.littleEndian(sessionKey32, sendOffset + 8);
        this.receiveK0 = SipHash24.littleEndian(sessionKey32, receiveOffset);
        this.receiveK1 = SipHash24.littleEndian(sessionKey32, receiveOffset + 8);
    }

    /** The server's side: sends with the server→device key (bytes 16..31), receives with the device→server key. */
    public static KuzetFrameMac forServer(byte[] sessionKey32) {
        return new KuzetFrameMac(sessionKey32, 16, 0);
    }

    /** The device's side: sends with the device→server key (bytes 0..15), receives with the server→device key. */
    public static KuzetFrameMac forDevice(byte[] sessionKey32) {
        return new KuzetFrameMac(sessionKey32, 0, 16);
    }

    /**
     * Turns the untagged frame at {@code [frameStart, writerIndex)} of {@code out} (as written by {@link KuzetEncoder})
     * into a tagged one in place: sets the tag flag, inserts the tag before the CRC and recomputes the CRC.
     */
    public void seal(ByteBuf out, int frameStart) {
        int macEnd = out.writerIndex() - CRC_LENGTH;
        out.setByte(frameStart + TYPE_OFFSET, out.getUnsignedByte(frameStart + TYPE_OFFSET) | TAG_FLAG);
        long tag = tag(sendK0, sendK1, sendCounter++, out, frameStart, macEnd - frameStart);
        out.writerIndex(macEnd);
        out.writeLongLE(tag);
        out.writeInt(Crc32c.of(out, frameStart, out.writerIndex() - frameStart));
    }

    /**
     * True when the tagged frame at the reader index of {@code frame} carries the tag expected next in the receive
     * direction; the receive counter then moves on. An untagged frame, or a wrong tag, returns false and leaves the
     * counter where it was.
     */
    public boolean open(ByteBuf frame) {
        int start = frame.readerIndex();
        if ((frame.getUnsignedByte(start + TYPE_OFFSET) & TAG_FLAG) == 0) {
            return false;
        }
        int macLength = HEADER_LENGTH + frame.getUnsignedShort(start + LENGTH_OFFSET);
        long expected = tag(receiveK0, receiveK1, receiveCounter, frame, start, macLength);
        if (expected != frame.getLongLE(start + macLength)) {
            return false;
        }
        receiveCounter++;
        return true;
    }

    /** Tagged frames received and verified so far on this connection. */
    public long framesOpened() {
        return receiveCounter;
    }

    /** The tag of {@code frame[start, start + macLength)} (header and payload) as the {@code counter}-th frame. */
    public static long tag(long k0, long k1, long counter, ByteBuf frame, int start, int macLength) {
        return SipHash24.hash(k0, k1, Long.reverseBytes(counter), frame, start, macLength);
    }
}
