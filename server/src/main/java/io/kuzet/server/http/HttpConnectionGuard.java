package io.kuzet.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the HTTP port's simultaneous connections (excess ones are closed at once) and closes connections on which
 * nothing moved for the idle timeout (the {@code IdleStateHandler} before it fires the event towards it; live streams stay
 * busy through the hub's pings). Both are counted. Shared by all channels of the port; thread-safe.
 */
@ChannelHandler.Sharable
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionGuard.class);

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    private final Counter idleClosed;
    private volatile long lastWarnMs;

    HttpConnectionGuard(int maxConnections, MeterRegistry meters) {
        this.maxConnections = maxConnections;
        meters.gauge("kuzet_http_connections", open);
        refused = Counter.builder("kuzet_http_connections_refused_total")
                .description("HTTP connections closed at once because http.maxConnections were open").register(meters);
        idleClosed = Counter.builder("kuzet_http_idle_closed_total")
                .description("HTTP connections closed after http.idleTimeoutS without traffic").register(meters);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > maxConnections) {
            refused.increment();
            long now = System.currentTimeMillis();
            if (now - lastWarnMs > 10_000) {
                lastWarnMs = now;
                LOG.warn("HTTP: refusing connection from {}: {} connections are open (http.maxConnections)",
                        ctx.channel().remoteAddress(), maxConnections);
            }
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            idleClosed.increment();
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
