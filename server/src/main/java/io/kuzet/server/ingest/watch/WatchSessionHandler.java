package io.kuzet.server.ingest.watch;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.protocol.watch.WatchDecoder;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.protocol.watch.WatchFrame;
import io.kuzet.server.ingest.DeviceSessionHandler;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.DeviceRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Server side of a Watch/3G connection. Every frame names the device; the first frame from a registered id logs
 * the session in, an unregistered id is counted and the connection closed. Heartbeats and alarms are answered as
 * the devices expect, after the message is journaled; locations get no reply in this protocol.
 * One instance per connection.
 */
public final class WatchSessionHandler extends DeviceSessionHandler {
    private static final String[] TYPE_LABELS = java.util.Arrays.stream(WatchDecoder.Result.values())
            .map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    private final WatchDecoder decoder;
    private final IngestService ingest;
    private byte[] address;
    private final WatchFrame answer = new WatchFrame();   // reused: checking an ignored frame for a command answer allocates nothing

    public WatchSessionHandler(IngestContext context, IngestService ingest) {
        super(Protocol.WATCH, context);
        this.ingest = ingest;
        this.decoder = new WatchDecoder(this::clockMs);
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        DeviceMessage msg = scratch();
        WatchDecoder.Result result = decoder.decode(frame, msg);
        if (!handlingAgain()) {   // a login frame handled again after the Kafka wait was counted the first time
            context.metrics().frame(Protocol.WATCH, TYPE_LABELS[result.ordinal()]);
        }
        if (device != null && device.deviceNumber() != msg.deviceId) {
            identitySwitchRefused(ctx, msg.deviceId);   // one connection speaks for one device
            return;
        }
        if (device == null) {
            DeviceRecord record = lookup(msg.deviceId);
            if (record == null) {
                loginRefused(ctx, IngestMetrics.LoginRefusal.UNKNOWN_DEVICE, msg.deviceId);
                ctx.close();
                return;
            }
            if (!sourceAllowed(ctx, record)) {
                ctx.close();
                return;
            }
            if (waitForLedger(ctx, record, frame, receivedNanos, null)) {
                return;   // Kafka: this first frame is handled again once this node knows what every node stored
            }
            if (!loggedIn(ctx, record)) {
                ctx.close();
                return;
            }
            address = WatchEncoder.vendorAndId(frame);   // commands go back to the id exactly as the watch writes it
            readyForCommands();
        }
        if (result == WatchDecoder.Result.IGNORED) {
            answer.wrap(frame);
            for (int i = 0; i < COMMAND_WORDS.length; i++) {
                if (answer.typeIs(COMMAND_WORDS[i])) {
                    commandLink().answeredWord(device.id(), COMMAND_WORD_NAMES[i], null);
                }
            }
        }
        long index = -1;
        if (result != WatchDecoder.Result.IGNORED && !msg.isEmpty()) {
            index = ingest.accept(state, Protocol.WATCH, msg, clockMs(), receivedNanos);
            if (index == IngestService.DUPLICATE) {
                index = state.lastIndex();
            }
            afterAcceptedFrame(ctx.channel());
        }
        ByteBuf out = ctx.alloc().buffer(64);
        if (WatchEncoder.writeReply(out, frame)) {
            replyWhenDurable(ctx, index, out, receivedNanos);   // an AL reply means "stored": not before it is durable
        } else {
            out.release();
        }
    }

    /** Answers to the commands Kuzet sends (docs/commands.md): the watch repeats the command word. */
    private static final String[] COMMAND_WORD_NAMES = {"UPLOAD", "CR", "FIND"};
    private static final byte[][] COMMAND_WORDS = java.util.Arrays.stream(COMMAND_WORD_NAMES)
            .map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    @Override
    protected void writeCommand(ByteBuf out, long commandId, int kuzetCode, long argument, String text) {
        WatchEncoder.writeCommand(out, address, text);
    }

    @Override
    protected void onRefusedFrame(ChannelHandlerContext ctx, ProtocolException e) {
        // the Watch protocol has no negative reply; the frame is dropped and counted
    }
}
