package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * A cursor over the comma-separated fields of a Watch message's content, parsing numbers straight from the bytes.
 *
 * <p>Not thread-safe; reuse one instance per decoder. Allocates nothing unless a field is refused.
 */
final class WatchFields {
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final int MAX_INTEGER_DIGITS = 9;

    private ByteBuf buf;
    private int next;
    private int end;
    private int start;
    private int stop;
    private String what;

    /** Positions the cursor before the first field after {@code from} (a ',' or {@code end}). */
    WatchFields wrap(ByteBuf buf, int from, int end, String what) {
        this.buf = buf;
        this.next = from;
        this.end = end;
        this.what = what;
        return this;
    }

    /** True when another field follows. */
    boolean hasNext() {
        return next < end;
    }

    /** Moves to the next field. */
    WatchFields next(String field) {
        if (next >= end) {
            throw new ProtocolException(DecodeError.TRUNCATED, what + ": field '" + field + "' missing");
        }
        start = next + 1;  // skip the ',' before the field
        int i = start;
        // a plain scan: fields are a few bytes, where ByteBuf.indexOf's setup costs more than the search
        while (i < end && buf.getByte(i) != ',') {
            i++;
        }
        stop = i;
        next = i;
        return this;
    }

    int length() {
        return stop - start;
    }

    /** The first byte of the field, or 0 when empty. */
    int firstChar() {
        return stop > start ? buf.getByte(start) : 0;
    }

    /** Two decimal digits at {@code offset} in the field. */
    int twoDigits(int offset, String field) {
        if (start + offset + 2 > stop) {
            throw bad(field);
        }
        return digit(start + offset, field) * 10 + digit(start + offset + 1, field);
    }

    /** A non-negative decimal integer. */
    int integer(String field) {
        long value = scaled(0, field);
        if (value < 0) {
            throw bad(field);
        }
        return (int) value;
    }

    /**
     * A decimal number {@code [-]digits[.digits]} times 10^{@code scale}, rounded half away from zero. Up to
     * {@value #MAX_INTEGER_DIGITS} integer digits.
     */
    long scaled(int scale, String field) {
        int i = start;
        boolean negative = i < stop && buf.getByte(i) == '-';
        if (negative) {
            i++;
        }
        long whole = 0;
        int integerDigits = 0;
        for (; i < stop && buf.getByte(i) != '.'; i++) {
            whole = whole * 10 + digit(i, field);
            if (++integerDigits > MAX_INTEGER_DIGITS) {
                throw bad(field);
            }
        }
        if (integerDigits == 0) {
            throw bad(field);
        }
        long fraction = 0;
        int fractionDigits = 0;
        boolean roundUp = false;
        if (i < stop) {
            for (i++; i < stop; i++) {
                int d = digit(i, field);
                if (fractionDigits < scale) {
                    fraction = fraction * 10 + d;
                    fractionDigits++;
                } else if (fractionDigits == scale) {
                    roundUp = d >= 5;
                    fractionDigits++;
                }
            }
        }
        long value = whole * POW10[scale] + fraction * POW10[scale - Math.min(fractionDigits, scale)] + (roundUp ? 1 : 0);
        return negative ? -value : value;
    }

    /** Up to 8 hex digits as an unsigned 32-bit value. */
    int hex(String field) {
        if (length() < 1 || length() > 8) {
            throw bad(field);
        }
        int value = 0;
        for (int i = start; i < stop; i++) {
            int d = Character.digit(buf.getByte(i), 16);
            if (d < 0) {
                throw bad(field);
            }
            value = value << 4 | d;
        }
        return value;
    }

    private int digit(int index, String field) {
        int d = buf.getByte(index) - '0';
        if (d < 0 || d > 9) {
            throw bad(field);
        }
        return d;
    }

    private ProtocolException bad(String field) {
        return new ProtocolException(DecodeError.BAD_FIELD, what + ": field '" + field + "' is not a valid number");
    }
}
