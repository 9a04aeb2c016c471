package io.kuzet.server.http;

import io.kuzet.server.api.http.HttpFrontDoor;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port: one pipeline for every request (operator API, console, ops endpoints and the live stream), on its
 * own event loop group so an HTTP flood cannot take event-loop time from the device ports. HTTPS only when
 * {@code http.certFile}/{@code http.keyFile} are set (then the same port speaks TLS and nothing else). Per
 * connection: connection cap and idle timeout, HTTP codec with capped line and header sizes, an aggregator capped
 * at {@code http.maxRequestBytes}, and the {@link HttpFrontDoor}.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_INITIAL_LINE_BYTES = 8192;
    private static final int MAX_HEADER_BYTES = 16_384;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final boolean tls;

    public HttpServer(Transport transport, ServerConfig.Http settings, String bindAddress, int port, MeterRegistry meters,
                      Supplier<HttpFrontDoor> frontDoor) throws InterruptedException {
        SslContext ssl = sslContext(settings);
        this.tls = ssl != null;
        boss = transport.newGroup(1, "kuzet-http-accept");
        workers = transport.newGroup(settings.ioThreads, "kuzet-http-io");
        HttpConnectionGuard guard = new HttpConnectionGuard(settings.maxConnections, meters);
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, settings.idleTimeoutS, TimeUnit.SECONDS))
                                .addLast(guard)
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpObjectAggregator(settings.maxRequestBytes))
                                .addLast(frontDoor.get());
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        LOG.info("HTTP{} listening on {}:{}", tls ? "S" : "", bindAddress, port());
    }

    private static SslContext sslContext(ServerConfig.Http settings) {
        if (settings.certFile.isBlank()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(new File(settings.certFile), new File(settings.keyFile)).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load HTTPS certificate " + settings.certFile + " / key "
                    + settings.keyFile + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** True when the port speaks HTTPS. */
    public boolean tls() {
        return tls;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
