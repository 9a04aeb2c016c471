package io.kuzet.server.ingest;

import io.kuzet.server.journal.Protocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening device ports, one per protocol (plus Kuzet over TLS), on shared event-loop groups.
 * Binding is synchronous; {@link #close()} stops accepting and closes every connection.
 */
public final class DevicePorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePorts.class);

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final String bindAddress;
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<Protocol, Integer> plainPorts = new EnumMap<>(Protocol.class);
    private int tlsPort = -1;

    public DevicePorts(Transport transport, EventLoopGroup boss, EventLoopGroup workers, String bindAddress) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.bindAddress = bindAddress;
    }

    /** Binds a port (0 = any free port) with the given pipeline; returns the bound port. */
    public int bind(Protocol protocol, boolean tls, int port, Consumer<SocketChannel> pipeline) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT) // the allocator whose metrics we export
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                });
        Channel listener = bootstrap.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        listeners.add(listener);
        int bound = ((InetSocketAddress) listener.localAddress()).getPort();
        if (tls) {
            tlsPort = bound;
        } else {
            plainPorts.put(protocol, bound);
        }
        LOG.info("{} port{} listening on {}:{} ({})", protocol.label(), tls ? " (TLS)" : "", bindAddress, bound, transport);
        return bound;
    }

    /** The bound plain port of a protocol, or -1. */
    public int port(Protocol protocol) {
        return plainPorts.getOrDefault(protocol, -1);
    }

    public int tlsPort() {
        return tlsPort;
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        listeners.clear();
    }
}
