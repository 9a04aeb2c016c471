package io.kuzet.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame or field that a decoder refuses, with the {@link DecodeError reason} the server counts and a
 * message that says what and where, e.g. {@code "truncated: POSITION_BATCH needs 27 bytes per fix, 9 left"}.
 *
 * <p>Created without a stack trace: bad input is expected traffic, not a programming error, and a flood of
 * garbage must not cost a stack walk per frame.
 */
public final class ProtocolException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final DecodeError reason;

    public ProtocolException(DecodeError reason, String message) {
        super(reason.label() + ": " + message);
        this.reason = reason;
    }

    public DecodeError reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
