package io.kuzet.server.ingest.gt06;

import io.kuzet.protocol.gt06.Gt06FrameDecoder;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.netty.channel.socket.SocketChannel;

/** Wires a GT06 connection: frame boundaries and CRC, then the session. */
public final class Gt06Pipeline {
    private Gt06Pipeline() {
    }

    public static void install(SocketChannel ch, IngestContext context, IngestService ingest, int maxFrameBytes) {
        ch.pipeline().addLast(new Gt06FrameDecoder(maxFrameBytes)).addLast(new Gt06SessionHandler(context, ingest));
    }
}
