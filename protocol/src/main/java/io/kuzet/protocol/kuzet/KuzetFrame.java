package io.kuzet.protocol.kuzet;

/**
 * Layout constants of a Kuzet v1 frame, shared by the frame decoder, the decoder and the encoder.
 *
 * <pre>
 * offset  0       2         3      4                6            10              10+len
 *        +-------+---------+------+----------------+------------+---------------+---------+
 *        | 'K''Z'| version | type | payload length |  sequence  |    payload    | CRC-32C |
 *        |  u16  |   u8    |  u8  |      u16       |    u32     | length bytes  |   u32   |
 *        +-------+---------+------+----------------+------------+---------------+---------+
 *        |&lt;------------------ CRC-32C covers header and payload ---------------&gt;|
 * </pre>
 *
 * An authenticated frame (type bit 7 set) carries an 8-byte tag between payload and CRC, not counted in the length
 * field; the CRC then covers header, payload and tag (see {@link KuzetFrameMac}).
 *
 * All integers big-endian. Constants only; see {@code docs/protocol.md} for the full specification.
 */
public final class KuzetFrame {
    /** The start marker "KZ". */
    public static final int MAGIC = 0x4B5A;
    /** The only version this codec speaks. */
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int LENGTH_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 10;
    public static final int CRC_LENGTH = 4;

    /** Largest whole frame, header to CRC inclusive; anything larger is refused as oversized. */
    public static final int MAX_FRAME_LENGTH = 4096;
    /** Largest payload that fits into {@link #MAX_FRAME_LENGTH}. */
    public static final int MAX_PAYLOAD_LENGTH = MAX_FRAME_LENGTH - HEADER_LENGTH - CRC_LENGTH;

    /** Earliest time accepted in a fix, event or heartbeat: 2000-01-01T00:00:00Z. */
    public static final long MIN_TIME_MS = 946_684_800_000L;
    /** First time no longer accepted: 2100-01-01T00:00:00Z. */
    public static final long END_TIME_MS = 4_102_444_800_000L;

    public static final int MAX_LATITUDE_E7 = 900_000_000;
    public static final int MAX_LONGITUDE_E7 = 1_800_000_000;

    /** Bytes of one fix in a POSITION_BATCH. */
    public static final int FIX_LENGTH = 27;
    /** Bytes of one event in a DEVICE_EVENT. */
    public static final int EVENT_LENGTH = 11;
    /** Most fixes in one POSITION_BATCH. */
    public static final int MAX_FIXES = 128;
    /** Most events in one DEVICE_EVENT. */
    public static final int MAX_EVENTS = 16;
    /** Nonce length in a CHALLENGE. */
    public static final int NONCE_LENGTH = 16;
    /** HMAC-SHA256 length in a LOGIN. */
    public static final int HMAC_LENGTH = 32;
    /** Device nonce in a LOGIN that asks for frame authentication (docs/protocol.md §3.2). */
    public static final int DEVICE_NONCE_LENGTH = 16;
    /** LOGIN payload without frame authentication: device id, HMAC. */
    public static final int LOGIN_LENGTH = 8 + HMAC_LENGTH;
    /** LOGIN payload that asks for frame authentication: device id, HMAC, device nonce. */
    public static final int LOGIN_MAC_LENGTH = LOGIN_LENGTH + DEVICE_NONCE_LENGTH;

    /** Bit 7 of the type byte: the frame carries a {@link #TAG_LENGTH}-byte tag between payload and CRC. */
    public static final int TAG_FLAG = 0x80;
    /** The message type is the low 7 bits of the type byte. */
    public static final int TYPE_MASK = 0x7F;
    /** SipHash-2-4 tag of an authenticated frame. */
    public static final int TAG_LENGTH = 8;

    /** Tag bytes a frame with this raw type byte carries: {@link #TAG_LENGTH} when {@link #TAG_FLAG} is set, else 0. */
    public static int tagLength(int typeByte) {
        return (typeByte & TAG_FLAG) != 0 ? TAG_LENGTH : 0;
    }

    /** Whole frame length for a payload of {@code payloadLength} bytes. */
    public static int frameLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength + CRC_LENGTH;
    }

    private KuzetFrame() {
    }
}
