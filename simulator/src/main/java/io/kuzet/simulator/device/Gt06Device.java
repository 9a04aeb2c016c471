package io.kuzet.simulator.device;

import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.gt06.Gt06Frame;
import io.kuzet.protocol.gt06.Gt06FrameDecoder;
import io.kuzet.protocol.gt06.Gt06ProtocolNumber;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual GT06 (Concox) tracker for load runs: login (0x01) with its IMEI, then one 0x12 location frame per fix,
 * each acked by the server with its serial once journaled. GT06 has no store-and-forward numbering and no NACK, so
 * this device only measures throughput and ack round trip; the Kuzet device covers buffering and retransmission.
 * State is confined to its event loop; {@link #connect} may be called from any thread.
 */
public final class Gt06Device {
    private final long imei;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final DeviceListener listener;
    private final long[] sentNanosBySerial = new long[1 << 16];
    private Channel channel;
    private CompletableFuture<Long> loginFuture;
    private int serial;

    Gt06Device(long imei, EventLoop loop, Bootstrap template, InetSocketAddress remote, InetSocketAddress local, DeviceListener listener) {
        this.imei = imei;
        this.loop = loop;
        this.remote = remote;
        this.local = local;
        this.listener = listener;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new Gt06FrameDecoder()).addLast(new Handler());
            }
        });
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public long imei() {
        return imei;
    }

    /** Connects and logs in; completes when the server acked the login. */
    public CompletableFuture<Long> connect() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.execute(() -> {
            loginFuture = result;
            ChannelFuture cf = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
            channel = cf.channel();
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(f.cause());
                } else {
                    ByteBuf login = channel.alloc().buffer(32);
                    Gt06Encoder.writeLogin(login, imei, nextSerial());
                    channel.writeAndFlush(login);
                }
            });
        });
        return result;
    }

    /** Sends one location frame (event loop only); the ACK is reported to the listener as one message of one fix. */
    public void sendLocation(Fix fix) {
        assert loop.inEventLoop();
        int s = nextSerial();
        ByteBuf out = channel.alloc().buffer(48);
        Gt06Encoder.writeLocation0x12(out, fix, s);
        sentNanosBySerial[s] = System.nanoTime();
        channel.writeAndFlush(out, channel.voidPromise());
    }

    private int nextSerial() {
        serial = (serial + 1) & 0xFFFF;
        return serial;
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            int protocol = Gt06Frame.protocolNumber(frame);
            int s = Gt06Frame.serial(frame);
            if (protocol == Gt06ProtocolNumber.LOGIN) {
                CompletableFuture<Long> f = loginFuture;
                loginFuture = null;
                if (f != null) {
                    f.complete(0L);
                }
            } else if (protocol == Gt06ProtocolNumber.GPS_LBS) {
                listener.onAcked(null, s, 1, System.nanoTime() - sentNanosBySerial[s]);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (loginFuture != null) {
                loginFuture.completeExceptionally(new IllegalStateException("GT06 device " + imei + " closed before login"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
