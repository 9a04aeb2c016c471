package io.kuzet.protocol.kuzet;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits after {@link KuzetFrameDecoder} in an {@link EmbeddedChannel} and records, in arrival order, each
 * frame (as hex, then released) and each refusal (reason and the decoder's refused sequence). Any other
 * exception is recorded as {@code "unexpected ..."} so tests can assert there is none.
 */
final class FrameRecorder extends ChannelInboundHandlerAdapter {
    final List<String> events = new ArrayList<>();
    final List<ByteBuf> liveFrames = new ArrayList<>();
    private final KuzetFrameDecoder decoder;
    private final boolean keepFrames;

    private FrameRecorder(KuzetFrameDecoder decoder, boolean keepFrames) {
        this.decoder = decoder;
        this.keepFrames = keepFrames;
    }

    static FrameRecorder attach(EmbeddedChannel channel, boolean keepFrames) {
        KuzetFrameDecoder decoder = new KuzetFrameDecoder();
        FrameRecorder recorder = new FrameRecorder(decoder, keepFrames);
        channel.pipeline().addLast(decoder, recorder);
        return recorder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        events.add("frame " + ByteBufUtil.hexDump(frame));
        if (keepFrames) {
            liveFrames.add(frame);
        } else {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException) {
            events.add("refused " + ((ProtocolException) cause).reason() + " seq " + decoder.sequenceOfLastRefusedFrame());
        } else {
            events.add("unexpected " + cause);
        }
    }

    List<String> frames() {
        return events.stream().filter(e -> e.startsWith("frame ")).map(e -> e.substring(6)).toList();
    }

    long refusals(DecodeError reason) {
        return events.stream().filter(e -> e.startsWith("refused " + reason + " ")).count();
    }
}
