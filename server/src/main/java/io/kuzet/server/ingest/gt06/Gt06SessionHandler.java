package io.kuzet.server.ingest.gt06;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.protocol.gt06.Gt06CommandReply;
import io.kuzet.protocol.gt06.Gt06Decoder;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.server.ingest.CommandLink;
import io.kuzet.server.ingest.DeviceSessionHandler;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.DeviceRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Server side of a GT06 (Concox) connection. GT06 has no authentication, so a device is accepted only when its
 * IMEI is registered for the gt06 protocol (and its source address is allowed); anything else is counted and the
 * connection closed (the protocol has no refusal message). A connection keeps the IMEI it logged in with: a login
 * frame naming another IMEI closes it (docs/device-trust.md). Data is journaled first; the reply the device expects (which lets it free its buffer) is
 * sent once the journal entry is durable. One instance per connection.
 */
public final class Gt06SessionHandler extends DeviceSessionHandler {
    private final Gt06Decoder decoder;
    private final IngestService ingest;
    private int commandSerial;

    public Gt06SessionHandler(IngestContext context, IngestService ingest) {
        super(Protocol.GT06, context);
        this.ingest = ingest;
        this.decoder = new Gt06Decoder(this::clockMs);
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        int protocolNumber = Gt06Decoder.protocolNumber(frame);
        DeviceMessage msg = scratch();
        Gt06Decoder.Result result = decoder.decode(frame, msg);
        if (!handlingAgain()) {   // a login frame handled again after the Kafka wait was counted the first time
            context.metrics().frame(Protocol.GT06, frameType(protocolNumber));
        }
        switch (result) {
            case LOGIN -> {
                if (device != null) {
                    if (decoder.imei() != device.deviceNumber()) {
                        identitySwitchRefused(ctx, decoder.imei());
                        return;
                    }
                    replyNow(ctx, frame, receivedNanos);   // the same IMEI again: a repeated login, answered
                    return;
                }
                DeviceRecord record = lookup(decoder.imei());
                if (record == null) {
                    loginRefused(ctx, IngestMetrics.LoginRefusal.UNKNOWN_DEVICE, decoder.imei());
                    ctx.close();
                    return;
                }
                if (!sourceAllowed(ctx, record)) {
                    ctx.close();
                    return;
                }
                if (waitForLedger(ctx, record, frame, receivedNanos, null)) {
                    return;   // Kafka: this login frame is handled again once this node knows what every node stored
                }
                if (!loggedIn(ctx, record)) {
                    ctx.close();
                    return;
                }
                replyNow(ctx, frame, receivedNanos);
                readyForCommands();
            }
            case DATA -> {
                if (device == null) {
                    loginRefused(ctx, IngestMetrics.LoginRefusal.NOT_LOGGED_IN, 0);
                    ctx.close();
                    return;
                }
                msg.deviceId = device.deviceNumber();
                long index = ingest.accept(state, Protocol.GT06, msg, clockMs(), receivedNanos);
                if (index == IngestService.DUPLICATE) {
                    index = state.lastIndex();   // the reply says "stored": not before the stored copy is durable
                }
                ByteBuf reply = ctx.alloc().buffer(32);
                if (Gt06Encoder.writeReply(reply, frame, clockMs())) {
                    replyWhenDurable(ctx, index, reply, receivedNanos);
                } else {
                    reply.release();
                }
                afterAcceptedFrame(ctx.channel());
            }
            default -> {
                if (device != null && Gt06CommandReply.isReply(frame)) {
                    String text = Gt06CommandReply.text(frame);
                    commandLink().answered(device.id(), Gt06CommandReply.serverFlag(frame), answerOf(text), text);
                }
                replyNow(ctx, frame, receivedNanos);   // e.g. time request: answered, nothing stored
            }
        }
    }

    /** GT06 answers are free text: one that reports an error is a refusal, anything else is the result. */
    static CommandLink.Answer answerOf(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("error") || lower.contains("fail") || lower.contains("invalid") || lower.contains("unknown")
                ? CommandLink.Answer.REJECTED : CommandLink.Answer.DONE;
    }

    @Override
    protected void writeCommand(ByteBuf out, long commandId, int kuzetCode, long argument, String text) {
        commandSerial = (commandSerial + 1) & 0xFFFF;
        Gt06Encoder.writeOnlineCommand(out, commandId, text, commandSerial);
    }

    private void replyNow(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        ByteBuf reply = ctx.alloc().buffer(32);
        if (Gt06Encoder.writeReply(reply, frame, clockMs())) {
            reply(ctx, reply);
            context.metrics().acked(Protocol.GT06, System.nanoTime() - receivedNanos);
        } else {
            reply.release();
        }
    }

    private static final String[] TYPE_LABELS = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            TYPE_LABELS[i] = String.format("0x%02x", i);
        }
    }

    private static String frameType(int protocolNumber) {
        return TYPE_LABELS[protocolNumber & 0xFF];
    }

    @Override
    protected void onRefusedFrame(ChannelHandlerContext ctx, ProtocolException e) {
        // GT06 has no negative acknowledgement: the device times out and retransmits the frame
    }
}
