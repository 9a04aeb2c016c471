package io.kuzet.server.ingest;

import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps simultaneous connections per device address ({@link DeviceAddress}: behind a PROXY-protocol balancer, the
 * device's own address) so one host (a broken gateway, a flood) cannot exhaust the
 * server; excess connections are closed at once and counted. Shared by all channels of a port; thread-safe.
 */
@ChannelHandler.Sharable
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private final Protocol protocol;
    private final int maxPerAddress;
    private final IngestMetrics metrics;
    private final RateLimitedLog log;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    public ConnectionGuard(Protocol protocol, int maxPerAddress, IngestMetrics metrics, RateLimitedLog log) {
        this.protocol = protocol;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = DeviceAddress.ip(ctx.channel());
        if (address != null) {
            int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (count > maxPerAddress) {
                metrics.connectionRefused(protocol, IngestMetrics.ConnectionRefusal.PER_ADDRESS_LIMIT);
                log.warn("{}: refusing connection from {}: {} open connections exceed the limit of {}",
                        protocol.label(), address.getHostAddress(), count, maxPerAddress);
                ctx.close();
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = DeviceAddress.ip(ctx.channel());
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        super.channelInactive(ctx);
    }
}
