package io.kuzet.server.ingest.proxy;

import io.kuzet.server.ingest.RateLimitedLog;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.metrics.IngestMetrics.ConnectionRefusal;
import io.kuzet.server.registry.SourceNetworks;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * The PROXY protocol (HAProxy's, v1 text and v2 binary) on the device ports, with {@code ports.proxyProtocol}. Behind a
 * TCP balancer Kuzet's TCP peer is the balancer; the balancer's PROXY header names the device's own address, which
 * device trust, the per-address limit and the logs then use ({@link io.kuzet.server.ingest.DeviceAddress}).
 *
 * <p>Only the balancers ({@code ports.proxyProtocolFrom}) may speak it: a connection from a balancer must begin with a
 * valid header (else it is refused as {@code proxy_header_missing}), and a connection from any other address that
 * begins with a header is refused as {@code proxy_header_not_allowed} (a device claiming another address). Other
 * connections are direct devices and go on unchanged, so devices may reach a node both directly and through the
 * balancer. Refusals are counted in {@code kuzet_connections_refused_total} and logged at a bounded rate.
 *
 * <p>{@link #install} puts the handlers at the head of a new connection's pipeline, in front of TLS. They remove
 * themselves after the first bytes (or the header), so an established session pays nothing. Thread-safe, one per server.
 */
public final class ProxyProtocol {
    /** Largest v2 TLV section accepted; Kuzet reads none of them, balancers send few or none. */
    static final int MAX_TLV_BYTES = 2048;

    private final SourceNetworks balancers;
    private final int headerTimeoutS;
    private final IngestMetrics metrics;
    private final RateLimitedLog log;

    public ProxyProtocol(SourceNetworks balancers, int headerTimeoutS, IngestMetrics metrics, RateLimitedLog log) {
        if (balancers.isAny()) {
            throw new IllegalArgumentException("the PROXY protocol needs the balancers' addresses (ports.proxyProtocolFrom)");
        }
        this.balancers = balancers;
        this.headerTimeoutS = headerTimeoutS;
        this.metrics = metrics;
        this.log = log;
    }

    /** Adds the header handling first in the pipeline of a just-accepted device connection. */
    public void install(SocketChannel ch, Protocol protocol) {
        InetSocketAddress peer = ch.remoteAddress();
        boolean fromBalancer = peer != null && balancers.contains(peer.getAddress());
        ch.pipeline().addLast("proxy-sniffer", new ProxyHeaderSniffer(this, protocol, fromBalancer));
        if (fromBalancer) {
            ch.pipeline().addLast("proxy-connection", new ProxiedConnection(this, protocol));
        }
    }

    int headerTimeoutS() {
        return headerTimeoutS;
    }

    /** Counts, logs and closes. */
    void refuse(ChannelHandlerContext ctx, Protocol protocol, ConnectionRefusal reason, String why) {
        metrics.connectionRefused(protocol, reason);
        log.warn("{}: refusing connection from {}: {}", protocol.label(), ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
