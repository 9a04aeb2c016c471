package io.kuzet.server.ingest.watch;

import io.kuzet.protocol.watch.WatchFrameDecoder;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.netty.channel.socket.SocketChannel;

/** Wires a Watch/3G connection: bracketed frame boundaries, then the session. */
public final class WatchPipeline {
    private WatchPipeline() {
    }

    public static void install(SocketChannel ch, IngestContext context, IngestService ingest, int maxFrameBytes) {
        ch.pipeline().addLast(new WatchFrameDecoder(maxFrameBytes)).addLast(new WatchSessionHandler(context, ingest));
    }
}
