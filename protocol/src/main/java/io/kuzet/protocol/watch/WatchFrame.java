package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * A flyweight over one whole Watch frame: where vendor, device id, optional index, content and message type sit.
 *
 * <pre>
 * [ MF * DEVICE_ID * LLLL * CONTENT ]              plain form
 * [ MF * DEVICE_ID * IIII * LLLL * CONTENT ]       index form (ZJ and others)
 *   MF: vendor, 2 ASCII chars (3G, SG, CS, ZJ, ...)    DEVICE_ID: decimal digits
 *   IIII: message index, 4 hex digits                  LLLL: byte length of CONTENT, 4 hex digits
 *   CONTENT: TYPE[,field,field...]; inside it } escapes: }01 '}'  }02 '['  }03 ']'  }04 ','  }05 '*'
 * </pre>
 *
 * <p>{@link #wrap} checks the structure: both stars, 4-hex-digit length field(s), closing ']'. The index form is
 * recognised by its second length field; a declared length that differs from the content is tolerated (see
 * {@link WatchFrameDecoder}) and reported by {@link #lengthMatches()}. Not
 * thread-safe; reuse one instance per decoder. Wrapping scans the header once and allocates nothing.
 */
public final class WatchFrame {
    /** Longest vendor field accepted. */
    public static final int MAX_VENDOR_CHARS = 8;
    /** Longest device-id field accepted. */
    public static final int MAX_ID_CHARS = 24;
    /** {@link #indexStart()} when the frame has no index field. */
    public static final int NO_INDEX = -1;

    private ByteBuf buf;
    private int vendorStart;
    private int idStart;
    private int idEnd;
    private int indexStart;
    private int contentStart;
    private int contentEnd;
    private int typeEnd;
    private boolean lengthMatches;

    /**
     * Points this flyweight at {@code frame} (from its reader index to its writer index).
     *
     * @throws ProtocolException BAD_FRAMING when the structure does not hold
     */
    public WatchFrame wrap(ByteBuf frame) {
        buf = frame;
        int start = frame.readerIndex();
        int end = frame.writerIndex() - 1;
        if (end < start + 1 || frame.getByte(start) != '[' || frame.getByte(end) != ']') {
            throw framing("not enclosed in [ ]");
        }
        vendorStart = start + 1;
        int vendorEnd = star(vendorStart, MAX_VENDOR_CHARS, end);
        idStart = vendorEnd + 1;
        idEnd = star(idStart, MAX_ID_CHARS, end);
        int first = idEnd + 1;
        contentEnd = end;
        if (!lengthFieldAt(first)) {
            throw framing("length field is not 4 hex digits and '*'");
        }
        boolean indexSyntax = lengthFieldAt(first + 5);
        boolean plainMatches = hex4(frame, first) == end - (first + 5);
        if (indexSyntax && !plainMatches) {
            indexStart = first;
            contentStart = first + 10;
            lengthMatches = hex4(frame, first + 5) == end - contentStart;
        } else {
            indexStart = NO_INDEX;
            contentStart = first + 5;
            lengthMatches = plainMatches;
        }
        int i = contentStart;
        while (i < contentEnd && frame.getByte(i) != ',') {
            i++;
        }
        typeEnd = i;
        return this;
    }

    /** True when the declared length equals the content length. */
    public boolean lengthMatches() {
        return lengthMatches;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public int vendorStart() {
        return vendorStart;
    }

    /** Index of the '*' after the vendor. */
    public int vendorEnd() {
        return idStart - 1;
    }

    public int idStart() {
        return idStart;
    }

    public int idEnd() {
        return idEnd;
    }

    /** Index of the first index-field digit, or {@link #NO_INDEX}. */
    public int indexStart() {
        return indexStart;
    }

    /** The index field as a number, or {@link #NO_INDEX}. */
    public int index() {
        return indexStart == NO_INDEX ? NO_INDEX : hex4(buf, indexStart);
    }

    public int contentStart() {
        return contentStart;
    }

    /** Index of the closing ']'. */
    public int contentEnd() {
        return contentEnd;
    }

    /** End (exclusive) of the message type: the first ',' of the content or its end. */
    public int typeEnd() {
        return typeEnd;
    }

    /** True when the message type is exactly {@code type} (ASCII). */
    public boolean typeIs(byte[] type) {
        if (typeEnd - contentStart != type.length) {
            return false;
        }
        for (int i = 0; i < type.length; i++) {
            if (buf.getByte(contentStart + i) != type[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when the message type starts with {@code prefix} followed by the end or '_' (AL, AL_LTE, AL_WCDMA). */
    public boolean typeFamily(byte[] prefix) {
        int length = typeEnd - contentStart;
        if (length < prefix.length || (length > prefix.length && buf.getByte(contentStart + prefix.length) != '_')) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(contentStart + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The device id as a number. */
    public long deviceId() {
        int digits = idEnd - idStart;
        if (digits > 18) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "Watch device id of " + digits + " digits");
        }
        long id = 0;
        for (int i = idStart; i < idEnd; i++) {
            int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9) {
                throw new ProtocolException(DecodeError.BAD_FIELD, "Watch device id is not numeric at offset " + (i - idStart));
            }
            id = id * 10 + d;
        }
        return id;
    }

    /** The value of 4 hex digits at {@code index}, or -1 when they are not all hex digits. */
    static int hex4(ByteBuf buf, int index) {
        int value = 0;
        for (int i = index; i < index + 4; i++) {
            int d = Character.digit(buf.getByte(i), 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    private boolean lengthFieldAt(int index) {
        return index + 5 <= contentEnd && buf.getByte(index + 4) == '*' && hex4(buf, index) >= 0;
    }

    private int star(int from, int maxChars, int end) {
        int star = buf.indexOf(from, Math.min(end, from + maxChars + 1), (byte) '*');
        if (star <= from) {
            throw framing("field at offset " + (from - buf.readerIndex()) + " empty or longer than " + maxChars);
        }
        return star;
    }

    private static ProtocolException framing(String what) {
        return new ProtocolException(DecodeError.BAD_FRAMING, "Watch frame " + what);
    }
}
