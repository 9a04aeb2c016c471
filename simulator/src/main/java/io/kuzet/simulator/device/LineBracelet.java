package io.kuzet.simulator.device;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.gt06.Gt06Frame;
import io.kuzet.protocol.gt06.Gt06FrameDecoder;
import io.kuzet.protocol.gt06.Gt06ProtocolNumber;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.protocol.watch.WatchFrameDecoder;
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
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A third-party bracelet that reports fixes without accuracy, for the quality run: GT06 (login, then one acked 0x12
 * location per fix) or Watch (an LK heartbeat to log in, UD per fix, UD2 for fixes buffered while offline, and an LK
 * whose answer tells that every earlier frame was stored, since UD frames get no reply). Strap tamper goes out as the
 * GT06 removal alarm or the Watch removal status bit; battery events are not sent (neither protocol carries ours).
 * State is confined to the event loop.
 */
public final class LineBracelet implements Bracelet {
    /** Which protocol the bracelet speaks. */
    public enum Kind { GT06, WATCH }

    private static final int WATCH_STATUS_REMOVED = 1 << 20;

    private final Kind kind;
    private final long number;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final ArrayDeque<DeviceMessage> pending = new ArrayDeque<>();
    private Channel channel;
    private CompletableFuture<Long> loginFuture;
    private CompletableFuture<Long> syncFuture;
    private int unacked;
    private boolean sentSinceSync;
    private int serial;
    private volatile DeviceCommands commands = DeviceCommands.IGNORE;

    LineBracelet(Kind kind, long number, EventLoop loop, Bootstrap template, InetSocketAddress remote) {
        this.kind = kind;
        this.number = number;
        this.loop = loop;
        this.remote = remote;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(kind == Kind.GT06 ? new Gt06FrameDecoder() : new WatchFrameDecoder())
                        .addLast(new Handler());
            }
        });
    }

    @Override
    public CompletableFuture<Long> connect() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.execute(() -> {
            loginFuture = result;
            ChannelFuture cf = bootstrap.connect(remote);
            channel = cf.channel();
            cf.addListener(f -> {
                if (!f.isSuccess()) {
                    loginFuture = null;
                    result.completeExceptionally(f.cause());
                }
            });
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            Channel c = channel;
            channel = null;
            unacked = 0;
            sentSinceSync = false;
            if (c == null) {
                done.complete(null);
            } else {
                c.close().addListener(f -> done.complete(null));
            }
        });
        return done;
    }

    @Override
    public void sendFix(DeviceMessage msg) {
        loop.execute(() -> {
            if (channel == null || loginFuture != null) {
                pending.add(msg);
            } else {
                write(msg, false);
            }
        });
    }

    @Override
    public void sendHeartbeat(long timeMs, int batteryPercent, boolean charging) {
        // positions are what the quality run scores; heartbeats of these protocols carry nothing it needs
    }

    @Override
    public void sendEvents(DeviceMessage events) {
        // battery events have no GT06 / Watch form the server maps to ours
    }

    @Override
    public void obey(DeviceCommands commands) {
        this.commands = commands;
    }

    @Override
    public CompletableFuture<Long> allAcked() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (channel == null || loginFuture != null) {
                result.complete(0L);
            } else if (kind == Kind.GT06) {
                if (unacked == 0) {
                    result.complete(0L);
                } else {
                    syncFuture = result;
                }
            } else if (!sentSinceSync) {
                result.complete(0L);
            } else {
                sentSinceSync = false;
                syncFuture = result;
                ByteBuf lk = channel.alloc().buffer(48);
                WatchEncoder.writeHeartbeat(lk, "3G", number, 80);
                channel.writeAndFlush(lk, channel.voidPromise());
            }
        });
        return result;
    }

    private void write(DeviceMessage msg, boolean buffered) {
        Fix fix = msg.fix(0);
        ByteBuf out = channel.alloc().buffer(160);
        boolean tamper = msg.eventCount() > 0;
        if (kind == Kind.GT06) {
            Gt06Encoder.writeLocation0x12(out, fix, nextSerial());
            unacked++;
            if (tamper) {
                channel.write(out, channel.voidPromise());
                out = channel.alloc().buffer(64);
                Gt06Encoder.writeAlarm0x16(out, fix, 0x18, nextSerial());   // 0x18 = removal
                unacked++;
            }
        } else {
            WatchEncoder.writeLocation(out, "3G", number, fix, buffered || fix.isBuffered(), tamper ? WATCH_STATUS_REMOVED : 0);
            sentSinceSync = true;
        }
        channel.writeAndFlush(out, channel.voidPromise());
    }

    private int nextSerial() {
        serial = (serial + 1) & 0xFFFF;
        return serial;
    }

    private void loggedIn() {
        CompletableFuture<Long> f = loginFuture;
        loginFuture = null;
        while (!pending.isEmpty()) {
            write(pending.poll(), true);
        }
        if (f != null) {
            f.complete(0L);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ByteBuf login = ctx.alloc().buffer(48);
            if (kind == Kind.GT06) {
                Gt06Encoder.writeLogin(login, number, nextSerial());
            } else {
                WatchEncoder.writeHeartbeat(login, "3G", number, 80);
            }
            ctx.writeAndFlush(login, ctx.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (loginFuture != null) {
                loggedIn();
                return;
            }
            if (kind == Kind.GT06) {
                int protocol = Gt06Frame.protocolNumber(frame);
                if (protocol == TextCommands.GT06_ONLINE_COMMAND) {
                    onGt06Command(ctx, frame);
                } else if (protocol != Gt06ProtocolNumber.LOGIN && unacked > 0 && --unacked == 0 && syncFuture != null) {
                    completeSync();
                }
            } else if (!onWatchCommand(ctx, frame) && syncFuture != null) {
                completeSync();   // the answer to the LK sent to sync
            }
        }

        /** A GT06 online command (0x80): carried out and answered with a 0x15 string, which the server acks. */
        private void onGt06Command(ChannelHandlerContext ctx, ByteBuf frame) {
            String answer = TextCommands.executeGt06(TextCommands.gt06Command(frame), commands);
            ByteBuf out = ctx.alloc().buffer(64);
            TextCommands.writeGt06Answer(out, TextCommands.gt06ServerFlag(frame), answer, nextSerial());
            unacked++;
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        /** A Watch text command: carried out and echoed; true when the frame was one. */
        private boolean onWatchCommand(ChannelHandlerContext ctx, ByteBuf frame) {
            String content = TextCommands.watchContent(frame);
            String echo = content == null ? null : TextCommands.executeWatch(content, commands);
            if (echo == null) {
                return false;
            }
            ByteBuf out = ctx.alloc().buffer(48);
            TextCommands.writeWatchEcho(out, "3G", number, echo);
            ctx.writeAndFlush(out, ctx.voidPromise());
            return true;
        }

        private void completeSync() {
            CompletableFuture<Long> f = syncFuture;
            syncFuture = null;
            f.complete(0L);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (loginFuture != null) {
                loginFuture.completeExceptionally(new IllegalStateException(kind + " device " + number + " closed before login"));
                loginFuture = null;
            }
            if (syncFuture != null) {
                completeSync();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
