package io.kuzet.server.ingest.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.ingest.DeviceAddress;
import io.kuzet.server.ingest.RateLimitedLog;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.metrics.IngestMetrics.ConnectionRefusal;
import io.kuzet.server.registry.SourceNetworks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The PROXY header handlers byte by byte, through {@link EmbeddedChannel}: however the header and the device's first
 * frame are split into reads, the device's bytes reach the rest of the pipeline unchanged and in order, after the rest
 * of the pipeline has seen the channel active with the device's address set. Every buffer read is released here.
 */
class ProxyHeaderSnifferTest {
    private static final byte[] GT06_LOGIN = {0x78, 0x78, 0x0D, 0x01, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, 0x01, 0x23, 0x45,
            0x00, 0x01, (byte) 0x8C, (byte) 0xDD, 0x0D, 0x0A};
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    private final ProxyProtocol proxy = new ProxyProtocol(SourceNetworks.parse(List.of("127.0.0.1/32")), 10, metrics,
            new RateLimitedLog(LoggerFactory.getLogger(ProxyHeaderSnifferTest.class), 10));

    /** The rest of the pipeline: records the address it saw at channelActive and the bytes it reads. */
    private static final class Rest extends ChannelInboundHandlerAdapter {
        InetSocketAddress addressWhenActive;
        int activations;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            activations++;
            addressWhenActive = ctx.channel().attr(DeviceAddress.PROXIED).get();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            assertEquals(1, activations, "bytes only after the channel is active");
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            bytes.writeBytes(b);
            buf.release();
        }
    }

    @Test
    void proxyV2HeaderFromABalancerSplitIntoOneByteReadsGivesTheDeviceAddressBeforeItsFirstByte() throws Exception {
        Rest rest = new Rest();
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderSniffer(proxy, Protocol.GT06, true),
                new ProxiedConnection(proxy, Protocol.GT06), rest);
        assertEquals(0, rest.activations, "held until the header is read");
        oneByteAtATime(ch, concat(ProxyProtocolOverSocketsTest.proxyV2("10.20.0.7", 40001), GT06_LOGIN));
        assertEquals(1, rest.activations);
        assertEquals(new InetSocketAddress("10.20.0.7", 40001), rest.addressWhenActive);
        assertArrayEquals(GT06_LOGIN, rest.bytes.toByteArray());
        assertNull(ch.pipeline().get(ProxyHeaderSniffer.class), "the header handlers have left the pipeline");
        assertNull(ch.pipeline().get(ProxiedConnection.class));
        assertTrue(ch.isActive());
        assertFalse(ch.finish());
    }

    @Test
    void proxyV1HeaderAndFrameInOneReadAreSeparated() throws Exception {
        Rest rest = new Rest();
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderSniffer(proxy, Protocol.GT06, true),
                new ProxiedConnection(proxy, Protocol.GT06), rest);
        ch.writeInbound(Unpooled.wrappedBuffer(concat(ProxyProtocolOverSocketsTest.proxyV1("10.20.0.9", 40002), GT06_LOGIN)));
        assertEquals(new InetSocketAddress("10.20.0.9", 40002), rest.addressWhenActive);
        assertArrayEquals(GT06_LOGIN, rest.bytes.toByteArray());
        assertFalse(ch.finish());
    }

    @Test
    void directDeviceWhoseFirstBytesLookLikeTheStartOfAHeaderStillGetsEveryByteThrough() {
        Rest rest = new Rest();
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderSniffer(proxy, Protocol.WATCH, false), rest);
        byte[] notAHeader = "PROXIMITY?[3G*1234567890*0002*LK]".getBytes(StandardCharsets.US_ASCII);
        oneByteAtATime(ch, notAHeader);
        assertArrayEquals(notAHeader, rest.bytes.toByteArray());
        assertTrue(ch.isActive());
        assertEquals(0.0, metrics.connectionsRefused(Protocol.WATCH, ConnectionRefusal.PROXY_HEADER_NOT_ALLOWED));
        assertFalse(ch.finish());
    }

    @Test
    void headerSplitIntoOneByteReadsFromANonBalancerIsRefusedOnceItIsRecognised() {
        Rest rest = new Rest();
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderSniffer(proxy, Protocol.KUZET, false), rest);
        oneByteAtATime(ch, ProxyProtocolOverSocketsTest.proxyV1("10.20.0.7", 40003));
        assertFalse(ch.isActive(), "closed");
        assertEquals(0, rest.bytes.size(), "nothing of it reached the session");
        assertEquals(1.0, metrics.connectionsRefused(Protocol.KUZET, ConnectionRefusal.PROXY_HEADER_NOT_ALLOWED));
        ch.finishAndReleaseAll();
    }

    @Test
    void balancerConnectionThatStartsWithADeviceFrameIsRefusedAndTheRestNeverSeesItOpenOrClose() {
        Rest rest = new Rest();
        int[] inactive = {0};
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderSniffer(proxy, Protocol.GT06, true),
                new ProxiedConnection(proxy, Protocol.GT06), rest, new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        inactive[0]++;
                    }
                });
        ch.writeInbound(Unpooled.wrappedBuffer(GT06_LOGIN));
        assertFalse(ch.isActive());
        assertEquals(0, rest.activations);
        assertEquals(0, inactive[0]);
        assertEquals(1.0, metrics.connectionsRefused(Protocol.GT06, ConnectionRefusal.PROXY_HEADER_MISSING));
        ch.finishAndReleaseAll();
    }

    private static void oneByteAtATime(EmbeddedChannel ch, byte[] bytes) {
        for (byte b : bytes) {
            if (ch.isActive()) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
