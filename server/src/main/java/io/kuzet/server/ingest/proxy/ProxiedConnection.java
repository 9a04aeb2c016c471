package io.kuzet.server.ingest.proxy;

import io.kuzet.server.ingest.DeviceAddress;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics.ConnectionRefusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * A connection from a balancer, held back until its PROXY header is read: the rest of the pipeline (per-address limit,
 * TLS, session) sees the channel active only once {@link DeviceAddress#PROXIED} holds the device's address, so every
 * check and log line from the first one on names the device, not the balancer. A header that does not come within
 * {@code limits.handshakeTimeoutS}, or that Netty's decoder rejects, refuses the connection
 * ({@code proxy_header_missing}); the rest of the pipeline never hears of it. A {@code LOCAL} header (the balancer's
 * own connection) or an {@code UNKNOWN}/UNIX-socket family keeps the balancer's address, as the protocol says.
 * One per connection, on its event loop; removes itself after the header.
 */
final class ProxiedConnection extends ChannelInboundHandlerAdapter {
    private final ProxyProtocol proxy;
    private final Protocol protocol;
    private boolean activated;                // the rest of the pipeline has seen channelActive
    private boolean refused;
    private ScheduledFuture<?> headerTimeout;

    ProxiedConnection(ProxyProtocol proxy, Protocol protocol) {
        this.proxy = proxy;
        this.protocol = protocol;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // not passed on yet: see channelRead
        headerTimeout = ctx.executor().schedule(() -> {
            if (!activated && ctx.channel().isActive()) {
                refuse(ctx, "no complete PROXY header within " + proxy.headerTimeoutS() + " s");
            }
        }, proxy.headerTimeoutS(), TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (activated) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, "data before the PROXY header");
            return;
        }
        InetSocketAddress device;
        try {
            device = deviceAddress(header);
        } finally {
            header.release();
        }
        if (device != null) {
            ctx.channel().attr(DeviceAddress.PROXIED).set(device);
        }
        activated = true;
        cancelTimeout();
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (activated) {
            ctx.fireExceptionCaught(cause);
        } else {
            refuse(ctx, "bad PROXY header: " + cause.getMessage());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (activated) {
            ctx.fireChannelInactive();
        }
        // else: the rest of the pipeline never saw this connection open, so it must not see it close
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        if (!refused) {
            refused = true;
            proxy.refuse(ctx, protocol, ConnectionRefusal.PROXY_HEADER_MISSING, why);
        }
        ctx.close();
    }

    private void cancelTimeout() {
        if (headerTimeout != null) {
            headerTimeout.cancel(false);
            headerTimeout = null;
        }
    }

    /** The client address of a PROXY command over TCP/UDP on IPv4/IPv6; null for LOCAL, UNKNOWN and UNIX sockets. */
    private static InetSocketAddress deviceAddress(HAProxyMessage header) {
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (header.command() != HAProxyCommand.PROXY || header.sourceAddress() == null
                || (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4 && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6)) {
            return null;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress()); // a literal: never a name lookup
        if (ip == null) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), header.sourcePort());
        } catch (UnknownHostException e) {
            return null; // only for a byte length that is neither 4 nor 16, which NetUtil never returns
        }
    }
}
