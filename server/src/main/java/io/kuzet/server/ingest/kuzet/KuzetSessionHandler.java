package io.kuzet.server.ingest.kuzet;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.protocol.kuzet.KuzetAuth;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetFrame;
import io.kuzet.protocol.kuzet.KuzetFrameDecoder;
import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.kuzet.protocol.kuzet.KuzetLoginStatus;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.kuzet.KuzetNackReason;
import io.kuzet.server.ingest.CommandLink;
import io.kuzet.server.ingest.DeviceSessionHandler;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.DeviceRecord;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * Server side of a Kuzet v1 connection: HELLO → CHALLENGE → LOGIN (HMAC-SHA256 over the nonce with the device
 * key) → LOGIN_RESULT with the last stored sequence, then data frames journaled and acked cumulatively once
 * durable. Unknown devices and bad HMACs get the same LOGIN_RESULT (AUTH_FAILED) after the same HMAC work, and the
 * connection is closed; data before login gets NACK NOT_LOGGED_IN and a close. When the LOGIN asked for frame
 * authentication, every later frame in both directions is tagged ({@link KuzetFrameMac}): a frame whose tag does not
 * verify gets NACK BAD_MAC and the connection is closed. One instance per connection, used on its event loop only.
 */
public final class KuzetSessionHandler extends DeviceSessionHandler {
    private final KuzetFrameDecoder frameDecoder;
    private final IngestService ingest;
    private final Counter positionFrames;
    private final Counter eventFrames;
    private final Counter heartbeatFrames;
    private final Counter commandResultFrames;
    private long helloDeviceNumber = -1;
    private long currentSequence = -1;
    private long refusedSequence = -1;
    private byte[] nonce;
    private long serverSequence;
    private boolean mayResync;    // no data message of this session handled yet and none damaged in transit (protocol.md §4)
    private final byte[] hmac = new byte[32];
    private final boolean requireFrameMac;
    private KuzetFrameMac frameMac;          // non-null once a LOGIN that asked for frame authentication succeeded

    public KuzetSessionHandler(IngestContext context, IngestService ingest, KuzetFrameDecoder frameDecoder) {
        super(Protocol.KUZET, context);
        this.ingest = ingest;
        this.frameDecoder = frameDecoder;
        this.requireFrameMac = context.trust().kuzetRequireFrameMac;
        IngestMetrics m = context.metrics();
        this.positionFrames = m.frameCounter(Protocol.KUZET, "position_batch");
        this.eventFrames = m.frameCounter(Protocol.KUZET, "device_event");
        this.heartbeatFrames = m.frameCounter(Protocol.KUZET, "heartbeat");
        this.commandResultFrames = m.frameCounter(Protocol.KUZET, "command_result");
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        currentSequence = KuzetDecoder.sequence(frame);
        try {
            if (frameMac != null ? !frameMac.open(frame) : KuzetDecoder.isTagged(frame)) {
                throw new ProtocolException(DecodeError.BAD_MAC, frameMac == null
                        ? "tagged frame seq " + currentSequence + " on a session without frame authentication"
                        : "frame seq " + currentSequence + " type 0x" + Integer.toHexString(KuzetDecoder.type(frame))
                        + " is untagged or its tag does not verify as frame " + frameMac.framesOpened()
                        + " of the session (altered, replayed or reordered)");
            }
            dispatch(ctx, frame, receivedNanos);
        } catch (ProtocolException e) {
            refusedSequence = currentSequence;
            throw e;
        } finally {
            currentSequence = -1;
        }
    }

    private void dispatch(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        KuzetMessageType type = KuzetMessageType.fromCode(KuzetDecoder.type(frame));
        long sequence = KuzetDecoder.sequence(frame);
        if (type == null) {
            throw new ProtocolException(io.kuzet.protocol.DecodeError.UNKNOWN_TYPE,
                    "type 0x" + Integer.toHexString(KuzetDecoder.type(frame)) + " in frame " + sequence);
        }
        switch (type) {
            case HELLO -> onHello(ctx, frame);
            case LOGIN -> onLogin(ctx, frame);
            case POSITION_BATCH -> onData(ctx, frame, type, sequence, receivedNanos, positionFrames);
            case DEVICE_EVENT -> onData(ctx, frame, type, sequence, receivedNanos, eventFrames);
            case HEARTBEAT -> onData(ctx, frame, type, sequence, receivedNanos, heartbeatFrames);
            case COMMAND_RESULT -> onData(ctx, frame, type, sequence, receivedNanos, commandResultFrames);
            default -> throw new ProtocolException(io.kuzet.protocol.DecodeError.UNKNOWN_TYPE,
                    type + " is not sent by devices (frame " + sequence + ")");
        }
    }

    private void onHello(ChannelHandlerContext ctx, ByteBuf frame) {
        context.metrics().frame(Protocol.KUZET, "hello");
        helloDeviceNumber = KuzetDecoder.helloDeviceId(frame);
        nonce = KuzetAuth.newNonce(contextRandom());
        ByteBuf out = ctx.alloc().buffer(64);
        KuzetEncoder.writeChallenge(out, ++serverSequence, nonce, clockMs());
        reply(ctx, out);
    }

    private void onLogin(ChannelHandlerContext ctx, ByteBuf frame) {
        context.metrics().frame(Protocol.KUZET, "login");
        long deviceNumber = KuzetDecoder.loginDeviceId(frame);
        boolean asksForFrameMac = KuzetDecoder.loginAsksForFrameMac(frame);
        if (nonce == null || deviceNumber != helloDeviceNumber) {
            refuseLogin(ctx, IngestMetrics.LoginRefusal.NOT_LOGGED_IN, deviceNumber, KuzetLoginStatus.NOT_ALLOWED);
            return;
        }
        if (!asksForFrameMac && requireFrameMac) {
            // answered the same for every device number, before the registry is consulted
            refuseLogin(ctx, IngestMetrics.LoginRefusal.FRAME_MAC_REQUIRED, deviceNumber, KuzetLoginStatus.NOT_ALLOWED);
            return;
        }
        byte[] challenge = nonce;
        nonce = null; // one login attempt per challenge
        byte[] deviceNonce = null;
        if (asksForFrameMac) {
            deviceNonce = new byte[KuzetFrame.DEVICE_NONCE_LENGTH];
            KuzetDecoder.loginDeviceNonce(frame, deviceNonce);
        }
        KuzetDecoder.loginHmac(frame, hmac);
        DeviceRecord record = lookup(deviceNumber);
        byte[] key = record == null || record.secretKey() == null ? dummyDeviceKey() : record.secretKey();
        // an unknown device costs the same HMAC and gets the same answer as a bad HMAC (no enumeration of device ids)
        boolean verified = KuzetAuth.verify(key, challenge, deviceNumber, deviceNonce, hmac);
        if (record == null || record.secretKey() == null || !verified) {
            refuseLogin(ctx, record == null ? IngestMetrics.LoginRefusal.UNKNOWN_DEVICE : IngestMetrics.LoginRefusal.BAD_HMAC,
                    deviceNumber, KuzetLoginStatus.AUTH_FAILED);
            return;
        }
        if (!sourceAllowed(ctx, record)) {
            refuseLogin(ctx, null, deviceNumber, KuzetLoginStatus.NOT_ALLOWED);
            return;
        }
        // the session key is derived now: the key, challenge and device nonce are not kept for the wait below
        KuzetFrameMac sessionMac = asksForFrameMac
                ? KuzetFrameMac.forServer(KuzetAuth.sessionKey(key, challenge, deviceNonce, deviceNumber)) : null;
        Runnable completeLogin = () -> completeLogin(ctx, record, sessionMac);
        if (!waitForLedger(ctx, record, null, System.nanoTime(), completeLogin)) {
            completeLogin.run();   // Kafka: LOGIN_RESULT only once this node knows what every node stored for the device
        }
    }

    @Override
    protected void onLoginNotCaughtUp(ChannelHandlerContext ctx) {
        refuseLogin(ctx, null, helloDeviceNumber, KuzetLoginStatus.NOT_ALLOWED);
    }

    private void completeLogin(ChannelHandlerContext ctx, DeviceRecord record, KuzetFrameMac sessionMac) {
        if (!loggedIn(ctx, record)) {
            refuseLogin(ctx, null, record.deviceNumber(), KuzetLoginStatus.NOT_ALLOWED);
            return;
        }
        if (sessionMac != null) {
            frameMac = sessionMac;
            ctx.pipeline().addBefore(ctx.name(), "kuzet-frame-seal", new KuzetFrameSealer(frameMac));
        }
        mayResync = true;
        long stored = state.lastSequence();
        long storedAt = state.lastIndex();
        int reportingIntervalS = reportingIntervalS(record);
        if (storedAt < 0 || ingest.journal().durability().immediate()) {
            reply(ctx, loginResult(ctx.alloc(), stored, reportingIntervalS));
            readyForCommands();
        } else {
            // the device frees its buffer up to the sequence reported: report it only once it is on disk
            Channel channel = ctx.channel();
            ingest.journal().durability().whenDurable(storedAt, () -> channel.eventLoop().execute(() -> {
                if (channel.isActive()) {
                    channel.writeAndFlush(loginResult(channel.alloc(), stored, reportingIntervalS), channel.voidPromise());
                    readyForCommands();   // a COMMAND never precedes the LOGIN_RESULT (protocol.md §5)
                }
            }));
        }
    }

    private ByteBuf loginResult(io.netty.buffer.ByteBufAllocator alloc, long stored, int reportingIntervalS) {
        ByteBuf out = alloc.buffer(64);
        KuzetEncoder.writeLoginResult(out, ++serverSequence, KuzetLoginStatus.OK, stored, clockMs(), reportingIntervalS);
        return out;
    }

    private void onData(ChannelHandlerContext ctx, ByteBuf frame, KuzetMessageType type, long sequence, long receivedNanos,
                        Counter frames) {
        if (device == null) {
            context.metrics().loginRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.NOT_LOGGED_IN);
            ByteBuf out = ctx.alloc().buffer(32);
            KuzetEncoder.writeNack(out, ++serverSequence, sequence, KuzetNackReason.NOT_LOGGED_IN);
            ctx.writeAndFlush(out).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        frames.increment();
        DeviceMessage msg = scratch();
        if (type == KuzetMessageType.COMMAND_RESULT) {
            KuzetDecoder.decodeCommandResult(frame, clockMs(), msg);   // a data message like the others (protocol.md §5)
        } else {
            KuzetDecoder.decodeData(frame, msg);
        }
        msg.deviceId = device.deviceNumber();
        msg.frameAuthenticated = frameMac != null;
        long answeredId = -1;
        CommandLink.Answer answer = null;
        if (type == KuzetMessageType.COMMAND_RESULT) {
            answeredId = msg.eventValue(0) & 0xFFFFFFFFL;
            answer = answerOf(msg.eventType(0));
        }
        long index = ingest.accept(state, Protocol.KUZET, msg, clockMs(), receivedNanos, mayResync);
        mayResync = false;
        if (answer != null && index != IngestService.GAP) {
            commandLink().answered(device.id(), answeredId, answer, null);   // a repeat is ignored by the service
        }
        if (index == IngestService.GAP) {
            nack(ctx, sequence, KuzetNackReason.SEQUENCE_GAP);
        } else if (index == IngestService.DUPLICATE) {
            // acked again with what is stored (stored once), and only once that is durable
            long stored = state.lastSequence();
            ackWhenDurable(ctx, state.lastIndex(), stored, receivedNanos);
        } else {
            ackWhenDurable(ctx, index, sequence, receivedNanos);
        }
        afterAcceptedFrame(ctx.channel());
    }

    private static CommandLink.Answer answerOf(io.kuzet.protocol.DeviceEventType type) {
        return switch (type) {
            case COMMAND_DONE -> CommandLink.Answer.DONE;
            case COMMAND_REJECTED -> CommandLink.Answer.REJECTED;
            default -> CommandLink.Answer.UNSUPPORTED;
        };
    }

    @Override
    protected void writeCommand(ByteBuf out, long commandId, int kuzetCode, long argument, String text) {
        KuzetEncoder.writeCommand(out, ++serverSequence, commandId, kuzetCode, argument);
    }

    private void ack(ChannelHandlerContext ctx, long sequence, long receivedNanos) {
        ByteBuf out = ctx.alloc().buffer(KuzetAckSize.BYTES);
        KuzetEncoder.writeAck(out, ++serverSequence, sequence);
        reply(ctx, out);
        context.metrics().acked(Protocol.KUZET, System.nanoTime() - receivedNanos);
    }

    private void ackWhenDurable(ChannelHandlerContext ctx, long index, long sequence, long receivedNanos) {
        if (index < 0 || ingest.journal().durability().immediate()) {
            ack(ctx, sequence, receivedNanos);
        } else {
            Channel channel = ctx.channel();
            ingest.journal().durability().whenDurable(index, () -> ackFromCommitter(channel, sequence, receivedNanos));
        }
    }

    private void ackFromCommitter(Channel channel, long sequence, long receivedNanos) {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                ByteBuf out = channel.alloc().buffer(KuzetAckSize.BYTES);
                KuzetEncoder.writeAck(out, ++serverSequence, sequence);
                channel.writeAndFlush(out, channel.voidPromise());
                context.metrics().acked(Protocol.KUZET, System.nanoTime() - receivedNanos);
            }
        });
    }

    /** Answers a refused LOGIN and closes; {@code reason} null when the refusal was already counted. */
    private void refuseLogin(ChannelHandlerContext ctx, IngestMetrics.LoginRefusal reason, long deviceNumber, int status) {
        if (reason != null) {
            loginRefused(ctx, reason, deviceNumber);
        }
        ByteBuf out = ctx.alloc().buffer(64);
        KuzetEncoder.writeLoginResult(out, ++serverSequence, status, 0, clockMs(), 0);
        ctx.writeAndFlush(out).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    @Override
    protected void onRefusedFrame(ChannelHandlerContext ctx, ProtocolException e) {
        long refused = refusedSequence >= 0 ? refusedSequence : frameDecoder.sequenceOfLastRefusedFrame();
        refusedSequence = -1;
        if (!resendingWillNotHelp(e.reason())) {
            mayResync = false;   // a frame was lost in transit: a jump past it must stay a gap
        }
        nack(ctx, Math.max(0, refused), KuzetNackReason.of(e.reason()));
        if (e.reason() == DecodeError.BAD_MAC) {
            // altered, injected, replayed or reordered, or the counters are out of step after a frame the frame decoder
            // dropped: the session cannot go on; the device logs in again and replays its buffer (protocol.md §3.2)
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (device != null && refused > 0 && resendingWillNotHelp(e.reason())) {
            // validation failures are consumed so one bad message never blocks the device's buffer (protocol.md §4)
            long index = ingest.consumeRefused(state, Protocol.KUZET, device.deviceNumber(), refused, e.reason().ordinal(), clockMs());
            if (index == IngestService.GAP) {
                nack(ctx, refused, KuzetNackReason.SEQUENCE_GAP);
            } else {
                long acked = state.lastSequence();
                ackWhenDurable(ctx, index >= 0 ? index : state.lastIndex(), acked, System.nanoTime());
            }
        }
        ctx.flush();
    }

    private static boolean resendingWillNotHelp(io.kuzet.protocol.DecodeError reason) {
        return switch (reason) {
            case BAD_FIELD, COORDINATE_OUT_OF_RANGE, TIME_OUT_OF_RANGE, UNKNOWN_TYPE, UNSUPPORTED_VERSION -> true;
            default -> false;
        };
    }

    private void nack(ChannelHandlerContext ctx, long sequence, KuzetNackReason reason) {
        ByteBuf out = ctx.alloc().buffer(32);
        KuzetEncoder.writeNack(out, ++serverSequence, sequence, reason);
        reply(ctx, out);
    }


    /** Size of an ACK frame: 10-byte header, 4-byte payload, 4-byte CRC. */
    private static final class KuzetAckSize {
        static final int BYTES = 18;
    }
}
