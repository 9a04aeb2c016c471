package io.kuzet.server.testing;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.kuzet.KuzetAuth;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetFrame;
import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A blocking Kuzet v1 device for tests: connects, logs in with the HMAC challenge (asking for frame authentication
 * unless told otherwise), sends frames and reads the server's replies. Uses the protocol module's encoder and decoder, as a real device's firmware would.
 */
public final class KuzetTestClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private long sequence;
    private KuzetFrameMac frameMac;           // set by a login that asked for frame authentication
    private byte[] lastSentFrame;

    /** COMMAND frames {@link #read()} or {@link #readReply()} passed over, in arrival order. */
    public final java.util.List<Reply> commandsSkipped = new java.util.ArrayList<>();
    private boolean receivingCommands;

    public KuzetTestClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** A client over an already connected socket (e.g. a TLS socket). */
    public KuzetTestClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** How long a read waits for the server before it throws SocketTimeoutException (10 s unless changed). */
    public KuzetTestClient readTimeoutMs(int ms) throws IOException {
        socket.setSoTimeout(ms);
        return this;
    }

    /** Sequence to use for the next data frame (devices resume their numbering after a reconnect). */
    public KuzetTestClient startSequenceAt(long next) {
        sequence = next - 1;
        return this;
    }

    /**
     * Performs HELLO/CHALLENGE/LOGIN asking for frame authentication (docs/protocol.md §3.2), as current firmware
     * does; returns the LOGIN_RESULT (status 0 = OK). After an OK every frame sent is tagged and every frame read is
     * verified.
     */
    public Reply login(long deviceId, byte[] key) throws IOException {
        return login(deviceId, key, true);
    }

    /** Performs HELLO/CHALLENGE/LOGIN with the 40-byte LOGIN of firmware without frame authentication. */
    public Reply loginWithoutFrameMac(long deviceId, byte[] key) throws IOException {
        return login(deviceId, key, false);
    }

    private Reply login(long deviceId, byte[] key, boolean frameMacWanted) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        KuzetEncoder.writeHello(buf, 0, deviceId, 1);
        send(buf);
        Reply challenge = read();
        if (challenge.type != KuzetMessageType.CHALLENGE) {
            throw new IOException("expected CHALLENGE, got " + challenge.type);
        }
        byte[] hmac = new byte[32];
        buf = Unpooled.buffer();
        if (frameMacWanted) {
            byte[] deviceNonce = KuzetAuth.newNonce(RANDOM);
            KuzetAuth.hmac(key, challenge.nonce, deviceId, deviceNonce, hmac);
            KuzetEncoder.writeLogin(buf, 0, deviceId, hmac, deviceNonce);
            send(buf);
            KuzetFrameMac session = KuzetFrameMac.forDevice(KuzetAuth.sessionKey(key, challenge.nonce, deviceNonce, deviceId));
            Reply result = read();
            // a refusal is untagged (no session key was agreed); an OK is the first tagged frame from the server
            if (result.status == 0 && !session.open(Unpooled.wrappedBuffer(result.bytes))) {
                throw new IOException("LOGIN_RESULT OK is untagged or its tag does not verify");
            }
            frameMac = result.status == 0 ? session : null;
            return result;
        }
        KuzetAuth.hmac(key, challenge.nonce, deviceId, hmac);
        KuzetEncoder.writeLogin(buf, 0, deviceId, hmac);
        send(buf);
        return read();
    }

    /** The bytes of the last frame sent, as they went on the wire (tag included), for replay tests. */
    public byte[] lastSentFrame() {
        return lastSentFrame.clone();
    }

    /** Sends the fixes of {@code msg} as one POSITION_BATCH and returns the sequence used. */
    public long sendPositions(DeviceMessage msg) throws IOException {
        long seq = ++sequence;
        ByteBuf buf = Unpooled.buffer();
        KuzetEncoder.writePositionBatch(buf, seq, msg);
        send(buf);
        return seq;
    }

    /**
     * Encodes the fixes of {@code msg} as the next POSITION_BATCH, tagged as the next frame of the session, and returns
     * the bytes without sending them (for tests that alter frames in transit).
     */
    public byte[] sealedPositionsFrame(DeviceMessage msg) {
        ByteBuf buf = Unpooled.buffer();
        try {
            KuzetEncoder.writePositionBatch(buf, ++sequence, msg);
            if (frameMac != null) {
                frameMac.seal(buf, buf.readerIndex());
            }
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Sends the events of {@code msg} as one DEVICE_EVENT frame and returns the sequence used. */
    public long sendEvents(DeviceMessage msg) throws IOException {
        long seq = ++sequence;
        ByteBuf buf = Unpooled.buffer();
        KuzetEncoder.writeDeviceEvents(buf, seq, msg);
        send(buf);
        return seq;
    }

    /** Sends a COMMAND_RESULT (docs/protocol.md §2, §5) as the next data message and returns the sequence used. */
    public long sendCommandResult(long commandId, int status) throws IOException {
        long seq = ++sequence;
        ByteBuf buf = Unpooled.buffer();
        KuzetEncoder.writeCommandResult(buf, seq, commandId, status);
        send(buf);
        return seq;
    }

    public long sendHeartbeat(long timeMs, int battery) throws IOException {
        long seq = ++sequence;
        ByteBuf buf = Unpooled.buffer();
        KuzetEncoder.writeHeartbeat(buf, seq, timeMs, battery, 80, false);
        send(buf);
        return seq;
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one whole frame, tagged when the session has frame authentication. */
    private void send(ByteBuf buf) throws IOException {
        try {
            if (frameMac != null) {
                frameMac.seal(buf, buf.readerIndex());
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            lastSentFrame = bytes;
            out.write(bytes);
            out.flush();
        } finally {
            buf.release();
        }
    }

    /**
     * Makes {@link #read()} return COMMAND frames too. Without it, {@link #read()} passes over them (kept in
     * {@link #commandsSkipped}): a server with the command service may command any device on its own (adaptive
     * supervision's pursuit when a violation opens), and a test about acks must not depend on when that happens.
     */
    public KuzetTestClient receivingCommands() {
        receivingCommands = true;
        return this;
    }

    /**
     * Reads the next frame from the server, COMMAND frames only after {@link #receivingCommands()}; a tagged frame must
     * verify (else IOException), as a device checks.
     */
    public Reply read() throws IOException {
        Reply reply = readFrame();
        while (!receivingCommands && reply.type == KuzetMessageType.COMMAND) {
            commandsSkipped.add(reply);
            reply = readFrame();
        }
        return reply;
    }

    private Reply readFrame() throws IOException {
        byte[] header = new byte[10];
        in.readFully(header);
        int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        int tag = KuzetFrame.tagLength(header[3] & 0xFF);
        byte[] frame = new byte[10 + length + tag + 4];
        System.arraycopy(header, 0, frame, 0, 10);
        in.readFully(frame, 10, length + tag + 4);
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        if (frameMac != null && !frameMac.open(buf)) {
            throw new IOException("server frame " + ByteBufUtil.hexDump(frame) + " is untagged or its tag does not verify");
        }
        Reply reply = new Reply();
        reply.bytes = frame;
        reply.type = KuzetMessageType.fromCode(KuzetDecoder.type(buf));
        switch (reply.type) {
            case CHALLENGE -> {
                reply.nonce = new byte[16];
                KuzetDecoder.challengeNonce(buf, reply.nonce);
            }
            case LOGIN_RESULT -> {
                reply.status = KuzetDecoder.loginResultStatus(buf);
                reply.value = KuzetDecoder.loginResultLastStoredSequence(buf);
                reply.reportingIntervalS = KuzetDecoder.loginResultReportingIntervalS(buf);
            }
            case ACK -> reply.value = KuzetDecoder.ackedSequence(buf);
            case NACK -> {
                reply.value = KuzetDecoder.nackRefusedSequence(buf);
                reply.status = KuzetDecoder.nackReason(buf).code();
            }
            case COMMAND -> {
                reply.value = KuzetDecoder.commandId(buf);
                reply.status = KuzetDecoder.commandCode(buf);
                reply.param = KuzetDecoder.commandParam(buf);
            }
            default -> {
            }
        }
        return reply;
    }

    /**
     * The next frame that is not a COMMAND: for tests of acks on a server whose adaptive supervision may command the
     * device at any time (pursuit when a violation opens). The skipped commands are kept in {@link #commandsSkipped}.
     */
    public Reply readReply() throws IOException {
        Reply reply = readFrame();
        while (reply.type == KuzetMessageType.COMMAND) {
            commandsSkipped.add(reply);
            reply = readFrame();
        }
        return reply;
    }

    /** True when not one byte arrives from the server within {@code ms} (the stream is unusable after a false). */
    public boolean silentFor(int ms) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(ms);
        try {
            return in.read() < -1;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** True when the server closed the connection (read returns end of stream) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A decoded server frame. */
    public static final class Reply {
        public KuzetMessageType type;
        public int status;
        public long value;
        public byte[] nonce;
        public int reportingIntervalS;
        /** COMMAND: the parameter ({@code value} is the command id, {@code status} the code). */
        public long param;
        /** The whole frame as received. */
        public byte[] bytes;

        @Override
        public String toString() {
            return type + "(status=" + status + ", value=" + value + ")";
        }
    }
}
