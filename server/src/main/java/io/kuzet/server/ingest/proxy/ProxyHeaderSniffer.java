package io.kuzet.server.ingest.proxy;

import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics.ConnectionRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.List;

/**
 * Looks at the first bytes of a connection on a PROXY-protocol port and decides, byte by byte, whether they begin a
 * PROXY header:
 * <pre>
 *   v1: "PROXY " (50 52 4F 58 59 20) then the rest of the line up to CRLF
 *   v2: 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A, then version/command, family, length, addresses, TLVs
 * </pre>
 * No device protocol starts like either (Kuzet frames, GT06 {@code 78 78} / {@code 79 79}, Watch {@code [}), so a
 * device's first byte usually decides. From a balancer, a header hands over to Netty's {@link HAProxyMessageDecoder}
 * (bytes kept) and anything else is refused; from another address, a header is refused and anything else passes on
 * untouched. Either way this handler leaves the pipeline. One per connection, on its event loop.
 */
final class ProxyHeaderSniffer extends ByteToMessageDecoder {
    private static final byte[] V1 = {'P', 'R', 'O', 'X', 'Y', ' '};
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private enum Start { HEADER, NOT_HEADER, UNDECIDED }

    private final ProxyProtocol proxy;
    private final Protocol protocol;
    private final boolean fromBalancer;

    ProxyHeaderSniffer(ProxyProtocol proxy, Protocol protocol, boolean fromBalancer) {
        this.proxy = proxy;
        this.protocol = protocol;
        this.fromBalancer = fromBalancer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Start start = start(in);
        if (start == Start.UNDECIDED) {
            return;
        }
        if (fromBalancer && start == Start.HEADER) {
            ctx.pipeline().replace(this, "proxy-header", new HAProxyMessageDecoder(ProxyProtocol.MAX_TLV_BYTES));
        } else if (!fromBalancer && start == Start.NOT_HEADER) {
            ctx.pipeline().remove(this); // a direct device: its bytes go on to the protocol's pipeline
        } else {
            in.skipBytes(in.readableBytes());
            if (fromBalancer) {
                proxy.refuse(ctx, protocol, ConnectionRefusal.PROXY_HEADER_MISSING,
                        "a connection from a balancer (ports.proxyProtocolFrom) must begin with a PROXY header");
            } else {
                proxy.refuse(ctx, protocol, ConnectionRefusal.PROXY_HEADER_NOT_ALLOWED,
                        "PROXY header from an address that is not in ports.proxyProtocolFrom");
            }
        }
    }

    private static Start start(ByteBuf in) {
        boolean v1 = prefixMatches(in, V1);
        boolean v2 = prefixMatches(in, V2);
        if (!v1 && !v2) {
            return Start.NOT_HEADER;
        }
        int available = in.readableBytes();
        return (v1 && available >= V1.length) || (v2 && available >= V2.length) ? Start.HEADER : Start.UNDECIDED;
    }

    /** True when the readable bytes, as far as they go, equal the start of {@code signature}. */
    private static boolean prefixMatches(ByteBuf in, byte[] signature) {
        int n = Math.min(in.readableBytes(), signature.length);
        int base = in.readerIndex();
        for (int i = 0; i < n; i++) {
            if (in.getByte(base + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
