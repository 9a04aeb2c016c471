package io.kuzet.server.testing;

import io.netty.buffer.ByteBuf;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Bytes of GT06 frames for tests that speak the protocol over a plain socket. Stateless. */
public final class Gt06Wire {
    private Gt06Wire() {
    }

    /** Reads one short-form server reply (7878, length, body, CRC, 0D0A) whole, blocking until it arrived. */
    public static byte[] readReply(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] head = new byte[3];
        data.readFully(head);
        byte[] rest = new byte[(head[2] & 0xFF) + 2];
        data.readFully(rest);
        byte[] all = new byte[3 + rest.length];
        System.arraycopy(head, 0, all, 0, 3);
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
    }

    /**
     * Reads the next server reply that is not an online command (0x80): for tests of acks on a server whose adaptive
     * supervision may command the tracker on its own (pursuit: {@code TIMER,15#}).
     */
    public static byte[] readAnswer(InputStream in) throws IOException {
        byte[] reply = readReply(in);
        while ((reply[3] & 0xFF) == 0x80) {
            reply = readReply(in);
        }
        return reply;
    }

    /** The readable bytes of an encoder's output; releases the buffer. */
    public static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        return b;
    }
}
