package io.kuzet.server.ingest;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.SourceNetworks;
import io.kuzet.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The session layer every protocol shares: connection accounting, the handshake timeout (a connection that does
 * not log in in time is cut), the idle timeout, login bookkeeping and the mapping of decode errors to metrics and
 * protocol answers. One instance per connection, called only on its event loop.
 *
 * <p>Subclasses handle whole frames ({@link #onFrame}); the frame buffer is released here.
 */
public abstract class DeviceSessionHandler extends ChannelInboundHandlerAdapter implements CommandPort {
    protected final Protocol protocol;
    protected final IngestContext context;
    protected DeviceRecord device;           // null until logged in
    protected DeviceIngestState state;       // null until logged in
    private ScheduledFuture<?> handshakeTimeout;
    private boolean active;
    private boolean pendingFlush;
    private volatile Channel channel;
    private java.util.ArrayDeque<HeldFrame> held;   // frames received while a login waits for the ledger (Kafka)
    private boolean ledgerCaughtUp;                  // the wait is over for this connection
    private int frameStart;                          // reader index of the frame being handled, for a replay
    private boolean handlingAgain;                   // onFrame is handling the login's frame a second time

    protected DeviceSessionHandler(Protocol protocol, IngestContext context) {
        this.protocol = protocol;
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        active = true;
        channel = ctx.channel();
        context.metrics.connectionOpened(protocol);
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (device == null && ctx.channel().isActive()) {
                context.metrics.connectionRefused(protocol, IngestMetrics.ConnectionRefusal.HANDSHAKE_TIMEOUT);
                context.badInputLog.warn("{}: no login within {} s from {}; closing", protocol.label(),
                        context.limits.handshakeTimeoutS, DeviceAddress.of(ctx.channel()));
                ctx.close();
            }
        }, context.limits.handshakeTimeoutS, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (active) {
            context.metrics.connectionClosed(protocol);
            active = false;
        }
        releaseHeld();
        if (device != null) {
            context.metrics.deviceLoggedOut(protocol);
            context.sessions.closed(device.id(), ctx.channel());
            context.commands.disconnected(device.id(), this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        long receivedNanos = System.nanoTime();
        if (held != null) {
            held.add(new HeldFrame(frame, receivedNanos, false));   // handled in order once the login's wait is over
            return;
        }
        handle(ctx, frame, receivedNanos);
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        frameStart = frame.readerIndex();
        try {
            onFrame(ctx, frame, receivedNanos);
        } catch (ProtocolException e) {
            refused(ctx, e);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingFlush) {
            pendingFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** Writes a reply that is flushed at the end of the current read batch (one syscall for many acks). */
    protected final void reply(ChannelHandlerContext ctx, ByteBuf reply) {
        ctx.write(reply, ctx.voidPromise());
        pendingFlush = true;
    }

    /**
     * Sends a reply that tells the device its data is stored once journal index {@code index} is durable: with the
     * read batch in {@code process} mode, after the group commit in {@code fsync} mode (never, if the journal fails).
     * {@code index < 0}: nothing was journaled, the reply goes now.
     */
    protected final void replyWhenDurable(ChannelHandlerContext ctx, long index, ByteBuf reply, long receivedNanos) {
        io.kuzet.server.journal.Durability durability = context.ingest.journal().durability();
        if (index < 0 || durability.immediate()) {
            reply(ctx, reply);
            context.metrics.acked(protocol, System.nanoTime() - receivedNanos);
            return;
        }
        io.netty.channel.Channel channel = ctx.channel();
        durability.whenDurable(index, () -> channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(reply, channel.voidPromise());
                context.metrics.acked(protocol, System.nanoTime() - receivedNanos);
            } else {
                reply.release();
            }
        }), reply::release);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            context.metrics.connectionRefused(protocol, IngestMetrics.ConnectionRefusal.IDLE_TIMEOUT);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException pe = protocolException(cause);
        if (pe != null) {
            refused(ctx, pe);
            return;
        }
        context.badInputLog.warn("{}: closing connection from {} after an unexpected error: {}", protocol.label(),
                DeviceAddress.of(ctx.channel()), String.valueOf(cause));
        ctx.close();
    }

    private void refused(ChannelHandlerContext ctx, ProtocolException e) {
        context.metrics.decodeError(protocol, e.reason());
        context.badInputLog.warn("{}: refused frame from {} (device {}): {}", protocol.label(),
                DeviceAddress.of(ctx.channel()), device == null ? "not logged in" : device.deviceNumber(), e.getMessage());
        onRefusedFrame(ctx, e);
        if (e.reason() == DecodeError.OVERSIZED) {
            // the stream cannot be trusted to resynchronise after a length we refuse to buffer
            ctx.close();
        }
    }

    private static ProtocolException protocolException(Throwable cause) {
        Throwable t = cause;
        while (t != null) {
            if (t instanceof ProtocolException pe) {
                return pe;
            }
            t = t instanceof DecoderException ? t.getCause() : null;
        }
        return null;
    }

    /**
     * Marks the session logged in as {@code record} and returns true; or, when the device already has a connected
     * session and the protocol's duplicate-session setting is REFUSE, counts the refusal and returns false (the
     * subclass answers and closes). Either way a second session is counted and journaled, so the core raises a
     * {@code DUPLICATE_SESSION} alert naming both source addresses.
     */
    protected final boolean loggedIn(ChannelHandlerContext ctx, DeviceRecord record) {
        ServerConfig.DuplicateSessionPolicy policy = switch (protocol) {
            case KUZET -> context.trust.duplicateSessionKuzet;
            case GT06 -> context.trust.duplicateSessionGt06;
            case WATCH -> context.trust.duplicateSessionWatch;
        };
        Channel other = context.sessions.loggedIn(record.id(), ctx.channel(), policy);
        if (other != null) {
            boolean replaced = policy == ServerConfig.DuplicateSessionPolicy.REPLACE;
            context.metrics.duplicateSession(protocol, replaced ? IngestMetrics.DuplicateSessionOutcome.REPLACED
                    : IngestMetrics.DuplicateSessionOutcome.REFUSED);
            String detail = "connected from " + DeviceAddress.of(other) + ", new login from " + DeviceAddress.of(ctx.channel());
            context.badInputLog.warn("{}: second session of device {}: {}; {}", protocol.label(), record.deviceNumber(),
                    detail, replaced ? "the earlier one is closed" : "the new one is refused");
            context.ingest.journal().appendSessionConflict(clockMs(), record.id(), record.deviceNumber(), protocol.code(),
                    replaced ? 0 : 1, detail);
            if (!replaced) {
                loginRefused(ctx, IngestMetrics.LoginRefusal.DUPLICATE_SESSION, record.deviceNumber());
                return false;
            }
        }
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        this.device = record;
        this.state = context.ledger.stateFor(record.id());
        context.metrics.deviceLoggedIn(protocol);
        return true;
    }

    /**
     * Kafka journal (other nodes append to the same topic): makes the login of {@code record} wait until this node's
     * de-duplication ledger holds every record of the device that was in the topic when the login arrived
     * (docs/scale-out.md, "The reconnect window"), so that a retransmission of what another node stored is recognised.
     * Returns false when there is nothing to wait for (the embedded journal, or the wait is already over): the caller
     * goes on at once. Returns true when the login must wait: reading pauses, {@code replay} (the frame being handled,
     * or null) and the frames that arrive meanwhile are kept; once caught up, {@code then} (or null) runs and the kept
     * frames are handed to {@link #onFrame} again in order. Not caught up in time ({@code kafka.loginCatchUpMs}): the
     * refusal is counted ({@code not_caught_up}), {@link #onLoginNotCaughtUp} answers, and the connection is closed.
     * Call it before {@link #loggedIn}, so a refused login never becomes a session.
     */
    protected final boolean waitForLedger(ChannelHandlerContext ctx, DeviceRecord record, ByteBuf replay, long receivedNanos,
                                          Runnable then) {
        LedgerCatchUp catchUp = context.ledgerCatchUp;
        if (catchUp == null || ledgerCaughtUp) {
            return false;
        }
        Channel ch = ctx.channel();
        held = new java.util.ArrayDeque<>(4);
        if (replay != null) {
            held.add(new HeldFrame(replay.retain().readerIndex(frameStart), receivedNanos, true));   // decoded again from its start
        }
        ch.config().setAutoRead(false);
        catchUp.whenCaughtUp(record.id(), reached -> ch.eventLoop().execute(() -> resume(ctx, record, reached, then)));
        return true;
    }

    private void resume(ChannelHandlerContext ctx, DeviceRecord record, boolean reached, Runnable then) {
        if (held == null) {
            return;   // the connection closed meanwhile
        }
        if (!reached) {
            releaseHeld();
            loginRefused(ctx, IngestMetrics.LoginRefusal.NOT_CAUGHT_UP, record.deviceNumber());
            onLoginNotCaughtUp(ctx);
            return;
        }
        ledgerCaughtUp = true;
        java.util.ArrayDeque<HeldFrame> frames = held;
        held = null;
        if (then != null) {
            then.run();
        }
        ctx.channel().config().setAutoRead(true);
        for (HeldFrame h = frames.poll(); h != null; h = frames.poll()) {
            if (held != null || !ctx.channel().isActive()) {
                h.frame.release();   // closed, or (cannot happen: one wait per connection) waiting again
                continue;
            }
            handlingAgain = h.again;
            try {
                handle(ctx, h.frame, h.receivedNanos);
            } catch (RuntimeException e) {
                exceptionCaught(ctx, e);
            } finally {
                handlingAgain = false;
            }
        }
        if (pendingFlush) {
            pendingFlush = false;
            ctx.flush();
        }
    }

    private void releaseHeld() {
        if (held != null) {
            for (HeldFrame h : held) {
                h.frame.release();
            }
            held = null;
        }
    }

    /**
     * The login's wait for the ledger ran out ({@link #waitForLedger}): answer as the protocol refuses a login and close.
     * The default closes the connection (GT06 and Watch have no refusal message).
     */
    protected void onLoginNotCaughtUp(ChannelHandlerContext ctx) {
        ctx.close();
    }

    /** True while {@link #onFrame} handles, after a login's wait, the frame that started it: it was counted already. */
    protected final boolean handlingAgain() {
        return handlingAgain;
    }

    private record HeldFrame(ByteBuf frame, long receivedNanos, boolean again) {
    }

    /**
     * A connection that is logged in as one device named another: refused, counted and closed, because a connection
     * never changes identity (docs/device-trust.md).
     */
    protected final void identitySwitchRefused(ChannelHandlerContext ctx, long claimedNumber) {
        loginRefused(ctx, IngestMetrics.LoginRefusal.IDENTITY_SWITCH, claimedNumber);
        context.badInputLog.warn("{}: connection from {} logged in as device {} named device {}; closing", protocol.label(),
                DeviceAddress.of(ctx.channel()), device.deviceNumber(), claimedNumber);
        ctx.close();
    }

    /** Refuses a login: counted, logged at a bounded rate; the subclass sends its protocol's answer and closes. */
    protected final void loginRefused(ChannelHandlerContext ctx, IngestMetrics.LoginRefusal reason, long deviceNumber) {
        context.metrics.loginRefused(protocol, reason);
        context.badInputLog.warn("{}: login refused for device {} from {}: {}", protocol.label(), deviceNumber,
                DeviceAddress.of(ctx.channel()), reason.name().toLowerCase());
    }

    /** A random key unrelated to any device, for the HMAC computed when refusing an unknown device. */
    protected final byte[] dummyDeviceKey() {
        return context.dummyDeviceKey;
    }

    /**
     * True when the connection's source address is inside the networks the device (or else its agency) is allowed to
     * connect from, or when neither has a list; otherwise counts and logs the refusal and returns false (the subclass
     * answers and closes). Checked at login, before anything of the device is journaled.
     */
    protected final boolean sourceAllowed(ChannelHandlerContext ctx, DeviceRecord record) {
        SourceNetworks allowed = context.directory.allowedSources(record);
        java.net.InetAddress remote = DeviceAddress.ip(ctx.channel());
        if (allowed.isAny() || (remote != null && allowed.contains(remote))) {
            return true;
        }
        loginRefused(ctx, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED, record.deviceNumber());
        return false;
    }

    protected final long clockMs() {
        return context.clockMs.getAsLong();
    }

    protected final java.security.SecureRandom contextRandom() {
        return context.random;
    }

    /** The event loop's reusable message holder, cleared. */
    protected final io.kuzet.protocol.DeviceMessage scratch() {
        return context.scratchMessage();
    }

    protected final DeviceRecord lookup(long deviceNumber) {
        return context.directory.find(protocol, deviceNumber);
    }

    /** How often the device should report, from its order's risk level. */
    protected final int reportingIntervalS(DeviceRecord record) {
        return context.directory.reportingIntervalS(record, clockMs());
    }

    /** Pauses reading from this channel when the core is too far behind. */
    protected final void afterAcceptedFrame(io.netty.channel.Channel channel) {
        context.backpressure.afterFrame(channel);
    }

    @Override
    public final Protocol protocol() {
        return protocol;
    }

    @Override
    public final void send(long commandId, int kuzetCode, long argument, String text,
                           java.util.function.Consumer<Boolean> written) {
        Channel ch = channel;
        if (ch == null) {
            written.accept(false);
            return;
        }
        ch.eventLoop().execute(() -> {
            if (!ch.isActive() || device == null) {
                written.accept(false);
                return;
            }
            ByteBuf out = ch.alloc().buffer(64);
            try {
                writeCommand(out, commandId, kuzetCode, argument, text);
            } catch (RuntimeException e) {
                out.release();
                written.accept(false);
                return;
            }
            ch.writeAndFlush(out).addListener(f -> written.accept(f.isSuccess()));
        });
    }

    /** Tells the command service this session can take commands (after the login answer is written). */
    protected final void readyForCommands() {
        context.commands.connected(device.id(), this);
    }

    /** The command service: where answers to commands go. */
    protected final CommandLink commandLink() {
        return context.commands;
    }

    /** Encodes one command frame of the protocol into {@code out}; on the event loop. */
    protected abstract void writeCommand(ByteBuf out, long commandId, int kuzetCode, long argument, String text);

    /** Handles one whole frame (already framed and checksum-verified by the frame decoder). */
    protected abstract void onFrame(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos);

    /** Answers a refused frame as the protocol prescribes (e.g. a NACK); the refusal is already counted and logged. */
    protected abstract void onRefusedFrame(ChannelHandlerContext ctx, ProtocolException e);
}
