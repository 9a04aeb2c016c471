package io.kuzet.server.ingest;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The address a device connects from: the TCP peer, or, behind a balancer speaking the PROXY protocol
 * ({@code ports.proxyProtocol}), the client address the balancer's header carried. Device trust (source networks),
 * the per-address connection limit, logs and session-conflict details all use this, never
 * {@link Channel#remoteAddress()} directly. Stateless; one attribute read per call.
 */
public final class DeviceAddress {
    /** Set once per connection by the PROXY header reader, before the rest of the pipeline sees the channel active. */
    public static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("kuzet.proxiedDeviceAddress");

    private DeviceAddress() {
    }

    /** The device's address and port (for logs): the proxied one if a header gave one, else the TCP peer. */
    public static SocketAddress of(Channel channel) {
        InetSocketAddress proxied = channel.attr(PROXIED).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** The device's IP address, or null when the channel has none (not an IP socket). */
    public static InetAddress ip(Channel channel) {
        return of(channel) instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
