package io.kuzet.simulator.device;

import io.kuzet.protocol.kuzet.KuzetAuth;
import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetFrame;
import io.kuzet.protocol.kuzet.KuzetFrameDecoder;
import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.kuzet.KuzetNackReason;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A virtual Kuzet v1 bracelet on a Netty client channel: HELLO/CHALLENGE/LOGIN asking for frame authentication (every
 * later frame in both directions tagged, docs/protocol.md §3.2), a store-and-forward buffer that keeps
 * every data message until a cumulative ACK covers it, a send window of 32 unacked messages, replay of the buffer
 * after LOGIN_RESULT (dropping what the server already stored), rewind on SEQUENCE_GAP or damage NACKs, back-off on
 * BUSY, and a way to lose an ACK and retransmit (the server must de-duplicate). Sequences continue across reconnects.
 *
 * <p>Thread-safety: all state is confined to the device's event loop; methods called from other threads hop onto
 * it. Cost: one encoded frame (byte[]) per buffered message; the idle footprint is this object, its channel and
 * pipeline.
 */
public final class KuzetDevice {
    /** Unacked messages a device sends before waiting (docs/protocol.md §4). */
    public static final int WINDOW = 32;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final long deviceNumber;
    private final byte[] key;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final DeviceListener listener;
    private final ArrayDeque<PendingMessage> buffer = new ArrayDeque<>();
    private final List<long[]> ackWaitersSeq = new ArrayList<>();
    private final List<CompletableFuture<Long>> ackWaiters = new ArrayList<>();

    private Channel channel;
    private boolean loggedIn;
    private CompletableFuture<Long> loginFuture;
    private long nextSequence = 1;
    private volatile long lastAckedSequence;
    private int sentOnConnection;      // buffer entries [0, sentOnConnection) were written on this connection
    private boolean dropNextAck;
    private long duplicateAcks;
    private KuzetFrameMac pendingMac;     // derived when LOGIN is sent; verifies LOGIN_RESULT OK
    private KuzetFrameMac frameMac;       // the session's frame authentication once logged in
    private volatile DeviceCommands commands = DeviceCommands.IGNORE;

    KuzetDevice(long deviceNumber, byte[] key, EventLoop loop, Bootstrap template, InetSocketAddress remote,
                InetSocketAddress local, DeviceListener listener) {
        this.deviceNumber = deviceNumber;
        this.key = key.clone();
        this.loop = loop;
        this.remote = remote;
        this.local = local;
        this.listener = listener;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new KuzetFrameDecoder()).addLast(new Handler());
            }
        });
    }

    public long deviceNumber() {
        return deviceNumber;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** Where the server's commands go (interval, locate now, vibrate); answered with COMMAND_RESULT either way. */
    public void obey(DeviceCommands commands) {
        this.commands = commands;
    }

    /** Highest sequence the server has acknowledged (cumulative). Readable from any thread. */
    public long lastAckedSequence() {
        return lastAckedSequence;
    }

    /** Connects and logs in; completes with the server's last stored sequence, then the buffer is replayed. */
    public CompletableFuture<Long> connect() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (channel != null && channel.isActive()) {
                result.completeExceptionally(new IllegalStateException("device " + deviceNumber + " already connected"));
                return;
            }
            loginFuture = result;
            ChannelFuture cf = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
            channel = cf.channel();
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    failLogin("connect failed: " + f.cause());
                } else {
                    ByteBuf hello = channel.alloc().buffer(32);
                    KuzetEncoder.writeHello(hello, 0, deviceNumber, 1);
                    channel.writeAndFlush(hello);
                }
            });
        });
        return result;
    }

    /** Closes the connection (comms loss); messages submitted meanwhile stay in the buffer. */
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (channel == null) {
                done.complete(null);
            } else {
                channel.close().addListener(f -> done.complete(null));
            }
        });
        return done;
    }

    /**
     * Assigns the next sequence, encodes the message into the buffer and sends it when the window allows. Must be
     * called on the device's event loop (see {@link #submitAsync}); returns the sequence.
     */
    public long submit(MessageWriter writer, int fixes) {
        assert loop.inEventLoop();
        long seq = nextSequence++;
        ByteBuf out = Unpooled.buffer(64 + 27 * fixes);
        try {
            writer.write(out, seq);
            buffer.addLast(new PendingMessage(seq, ByteBufUtil.getBytes(out), fixes));
        } finally {
            out.release();
        }
        pump();
        return seq;
    }

    /** {@link #submit} from any thread; completes with the sequence assigned. */
    public CompletableFuture<Long> submitAsync(MessageWriter writer, int fixes) {
        CompletableFuture<Long> seq = new CompletableFuture<>();
        loop.execute(() -> seq.complete(submit(writer, fixes)));
        return seq;
    }

    /** Completes once an ACK covers {@code sequence}. */
    public CompletableFuture<Long> acked(long sequence) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (lastAckedSequence >= sequence) {
                f.complete(lastAckedSequence);
            } else {
                ackWaitersSeq.add(new long[] {sequence});
                ackWaiters.add(f);
            }
        });
        return f;
    }

    /** Completes once every message submitted so far is acked. */
    public CompletableFuture<Long> allAcked() {
        CompletableFuture<CompletableFuture<Long>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(acked(nextSequence - 1)));
        return f.thenCompose(x -> x);
    }

    /** The next ACK is ignored, as if lost in transit; {@link #retransmitUnacked()} then resends. */
    public void loseNextAck() {
        loop.execute(() -> dropNextAck = true);
    }

    /** Resends every buffered message on the current connection (what a device does when an ACK does not come). */
    public void retransmitUnacked() {
        loop.execute(() -> {
            sentOnConnection = 0;
            pump();
        });
    }

    /** Messages still in the store-and-forward buffer. Event loop only. */
    public int bufferedMessages() {
        return buffer.size();
    }

    /** ACKs that covered nothing new (answers to retransmissions). */
    public long duplicateAcks() {
        return duplicateAcks;
    }

    private void pump() {
        if (!loggedIn || channel == null || !channel.isActive()) {
            return;
        }
        int index = 0;
        boolean wrote = false;
        long now = System.nanoTime();
        for (Iterator<PendingMessage> it = buffer.iterator(); it.hasNext() && index < WINDOW; index++) {
            PendingMessage m = it.next();
            if (index >= sentOnConnection) {
                m.sentNanos = now;
                // the buffer keeps the untagged frame: every (re)send is tagged as the next frame of this session
                ByteBuf out = channel.alloc().buffer(m.frame.length + KuzetFrame.TAG_LENGTH);
                out.writeBytes(m.frame);
                frameMac.seal(out, 0);
                channel.write(out, channel.voidPromise());
                wrote = true;
            }
        }
        sentOnConnection = Math.max(sentOnConnection, index);
        if (wrote) {
            channel.flush();
        }
    }

    private void onAck(long acked) {
        if (dropNextAck) {
            dropNextAck = false;
            return;
        }
        if (!release(acked)) {
            duplicateAcks++;
        }
        pump();
    }

    /** Frees every buffered message up to {@code acked}; true when something was freed. */
    private boolean release(long acked) {
        long now = System.nanoTime();
        boolean advanced = false;
        while (!buffer.isEmpty() && buffer.peekFirst().sequence <= acked) {
            PendingMessage m = buffer.pollFirst();
            sentOnConnection = Math.max(0, sentOnConnection - 1);
            listener.onAcked(this, m.sequence, m.fixes, now - m.sentNanos);
            advanced = true;
        }
        if (acked > lastAckedSequence) {
            lastAckedSequence = acked;
        }
        completeWaiters();
        return advanced;
    }

    private void completeWaiters() {
        for (int i = ackWaiters.size() - 1; i >= 0; i--) {
            if (ackWaitersSeq.get(i)[0] <= lastAckedSequence) {
                ackWaiters.remove(i).complete(lastAckedSequence);
                ackWaitersSeq.remove(i);
            }
        }
    }

    private void onNack(long refused, KuzetNackReason reason) {
        switch (reason) {
            case BUSY -> loop.schedule(this::rewind, 100, TimeUnit.MILLISECONDS);
            case SEQUENCE_GAP, BAD_CRC, TRUNCATED, BAD_FRAMING -> rewind();
            default -> {
                // validation refusals: the server consumes and acks the message; nothing to resend
            }
        }
    }

    private void rewind() {
        sentOnConnection = 0;
        pump();
    }

    private void onLoginResult(int status, long lastStored) {
        if (status != 0) {
            failLogin("login refused with status " + status);
            channel.close();
            return;
        }
        loggedIn = true;
        commands.setReportingInterval(0);   // docs/protocol.md §5: a commanded interval holds until the next LOGIN_RESULT
        release(lastStored);
        if (buffer.isEmpty() && lastStored >= nextSequence) {
            nextSequence = lastStored + 1; // the server remembers more than this device (a restarted simulator): continue after it
        }
        sentOnConnection = 0;
        CompletableFuture<Long> f = loginFuture;
        loginFuture = null;
        listener.onLoggedIn(this, lastStored);
        if (f != null) {
            f.complete(lastStored);
        }
        pump();
    }

    /** Carries out a COMMAND (docs/protocol.md §5); returns its COMMAND_RESULT status. */
    private int execute(int code, long param) {
        DeviceCommands c = commands;
        switch (code) {
            case KuzetCommands.SET_REPORTING_INTERVAL -> {
                if (param < 1 || param > 86_400) {
                    return KuzetCommands.RESULT_REJECTED;
                }
                c.setReportingInterval((int) param);
            }
            case KuzetCommands.REQUEST_POSITION -> c.locateNow();
            case KuzetCommands.VIBRATE -> c.vibrate((int) Math.min(param, 60_000));
            default -> {
                return KuzetCommands.RESULT_UNSUPPORTED;   // NOTIFY_WEARER: this bracelet has no display or speaker
            }
        }
        return KuzetCommands.RESULT_DONE;
    }

    private void failLogin(String reason) {
        CompletableFuture<Long> f = loginFuture;
        loginFuture = null;
        if (f != null) {
            f.completeExceptionally(new IllegalStateException("device " + deviceNumber + ": " + reason));
        }
        listener.onDisconnected(this, reason);
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            KuzetMessageType type = KuzetMessageType.fromCode(KuzetDecoder.type(frame));
            if (type == null) {
                return;
            }
            // after LOGIN every server frame must carry the session's tag (a refusal, before any key, carries none)
            KuzetFrameMac mac = frameMac != null ? frameMac : type == KuzetMessageType.LOGIN_RESULT ? pendingMac : null;
            boolean tagged = KuzetDecoder.isTagged(frame);
            if (tagged ? mac == null || !mac.open(frame) : frameMac != null) {
                ctx.close();   // a forged or out-of-step server frame: drop the session, log in again
                return;
            }
            switch (type) {
                case CHALLENGE -> {
                    byte[] nonce = new byte[16];
                    KuzetDecoder.challengeNonce(frame, nonce);
                    byte[] deviceNonce = KuzetAuth.newNonce(RANDOM);
                    byte[] hmac = new byte[32];
                    KuzetAuth.hmac(key, nonce, deviceNumber, deviceNonce, hmac);
                    pendingMac = KuzetFrameMac.forDevice(KuzetAuth.sessionKey(key, nonce, deviceNonce, deviceNumber));
                    ByteBuf login = ctx.alloc().buffer(80);
                    KuzetEncoder.writeLogin(login, 0, deviceNumber, hmac, deviceNonce);
                    ctx.writeAndFlush(login);
                }
                case LOGIN_RESULT -> {
                    int status = KuzetDecoder.loginResultStatus(frame);
                    if (status == 0) {
                        frameMac = pendingMac;
                    }
                    onLoginResult(status, KuzetDecoder.loginResultLastStoredSequence(frame));
                }
                case ACK -> onAck(KuzetDecoder.ackedSequence(frame));
                case NACK -> onNack(KuzetDecoder.nackRefusedSequence(frame), KuzetDecoder.nackReason(frame));
                case COMMAND -> {
                    long commandId = KuzetDecoder.commandId(frame);
                    int status = execute(KuzetDecoder.commandCode(frame), KuzetDecoder.commandParam(frame));
                    // a data message: buffered and replayed like any other, so the result survives a disconnect
                    submit((out, seq) -> KuzetEncoder.writeCommandResult(out, seq, commandId, status), 0);
                }
                default -> {
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            loggedIn = false;
            frameMac = null;
            pendingMac = null;
            sentOnConnection = 0;
            if (loginFuture != null) {
                failLogin("connection closed before login");
            } else {
                listener.onDisconnected(KuzetDevice.this, "connection closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
