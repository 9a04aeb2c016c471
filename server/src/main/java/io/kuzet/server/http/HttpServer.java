package io.kuzet.server.http;

import io.kuzet.server.ingest.Transport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP port: operational endpoints, the live alert stream and, when installed, the operator API. */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Largest request body accepted (API requests with zone GeoJSON fit well inside). */
    public static final int MAX_REQUEST_BYTES = 1 << 20;

    private final Channel listener;

    public HttpServer(Transport transport, EventLoopGroup boss, EventLoopGroup workers, String bindAddress, int port,
                      PrometheusMeterRegistry prometheus, Map<String, HealthCheck> readiness, LiveAlertHub live,
                      String liveToken, Consumer<SocketChannel> extraHandlers) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new HttpRoutes(prometheus, readiness, live, liveToken, extraHandlers != null))
                                .addLast(new WebSocketServerProtocolHandler("/live", null, true, 65_536, false, true))
                                .addLast(new LiveSubscription(live));
                        if (extraHandlers != null) {
                            extraHandlers.accept(ch);
                        }
                    }
                });
        listener = bootstrap.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        LOG.info("HTTP listening on {}:{}", bindAddress, port());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
