package io.kuzet.simulator.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.gt06.Gt06Crc;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.gt06.Gt06Frame;
import io.kuzet.protocol.gt06.Gt06FrameDecoder;
import io.kuzet.protocol.gt06.Gt06ProtocolNumber;
import io.kuzet.protocol.kuzet.KuzetAuth;
import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.protocol.kuzet.KuzetDecoder;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.protocol.kuzet.KuzetFrameDecoder;
import io.kuzet.protocol.kuzet.KuzetFrameMac;
import io.kuzet.protocol.kuzet.KuzetLoginStatus;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.protocol.watch.WatchFrameDecoder;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.fleet.SimSubject;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Simulated Kuzet, GT06 and Watch bracelets obey the commands that arrive on their connection, sent here as raw frames
 * by a stand-in server: a set interval changes the fix interval, locate-now sends a fix at once, a vibration is
 * acknowledged (COMMAND_RESULT for Kuzet, the protocol's answer for the others).
 */
class CommandObedienceTest {
    private static final long START_MS = LocalDate.of(2026, 6, 1).atStartOfDay(ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();
    private static final long STEP_MS = 15_000;

    private final EventLoopGroup serverLoop = new NioEventLoopGroup(1);
    private final List<Long> fixTimes = new ArrayList<>();
    private final Fleet fleet = new FleetFactory(3).create(1, START_MS, 1);
    private final SimSubject subject = fleet.subjects().get(0);
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private Channel server;
    private volatile ChannelHandlerContext session;
    private long t = START_MS;

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close().sync();
        }
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private int listen(Supplier<ChannelHandler[]> pipeline) throws Exception {
        server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(pipeline.get());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Runs the driver for {@code ms} of simulated time in 15 s steps, as the quality run does. */
    private void run(FleetDriver driver, long ms) throws Exception {
        for (long end = t + ms; t < end; t += STEP_MS) {
            driver.step(t);
            driver.awaitAcked();
        }
    }

    /** Gaps between the fixes sent in [fromMs, toMs), in seconds. */
    private List<Long> gapsS(long fromMs, long toMs) {
        List<Long> gaps = new ArrayList<>();
        long previous = -1;
        for (long f : fixTimes) {
            if (f >= fromMs && f < toMs) {
                if (previous >= 0) {
                    gaps.add((f - previous) / 1000);
                }
                previous = f;
            }
        }
        return gaps;
    }

    private String answer() throws InterruptedException {
        String a = answers.poll(10, TimeUnit.SECONDS);
        assertTrue(a != null, "the device answered the command");
        return a;
    }

    private void send(ByteBuf frame) {
        ChannelHandlerContext ctx = session;
        ctx.executor().execute(() -> ctx.writeAndFlush(frame));
    }

    /**
     * Shared scenario: normal interval first, then locate-now (a fix 15 s after the last instead of an interval later),
     * then a 15 s interval, then a vibration; {@code commands} sends each command as the protocol's frame.
     */
    private void obeysInterval(FleetDriver driver, ProtocolCommands commands) throws Exception {
        int normalS = subject.reportingIntervalS();
        assertTrue(normalS >= 30, "the order's interval is longer than pursuit: " + normalS);
        driver.connectAll();
        run(driver, 20 * 60_000L);
        assertTrue(gapsS(START_MS, t).stream().allMatch(g -> g >= normalS), "order's interval: " + gapsS(START_MS, t));

        long lastFix = fixTimes.get(fixTimes.size() - 1);
        while (t - lastFix < STEP_MS) {   // just after a fix: the next is normalS away unless asked for
            run(driver, STEP_MS);
        }
        commands.locateNow();
        commands.awaitAnswer();
        run(driver, STEP_MS);
        assertEquals(t - STEP_MS, fixTimes.get(fixTimes.size() - 1), "locate now: a fix at the next step");

        commands.setInterval(15);
        commands.awaitAnswer();
        long pursuitFrom = t;
        run(driver, 10 * 60_000L);
        List<Long> gaps = gapsS(pursuitFrom, t);
        assertTrue(gaps.size() >= 35 && gaps.stream().allMatch(g -> g == 15), "every 15 s once commanded: " + gaps);

        long before = driver.commandsObeyed();
        commands.vibrate();
        commands.awaitAnswer();
        assertEquals(before + 1, driver.commandsObeyed(), "the vibration was carried out");
    }

    private interface ProtocolCommands {
        void setInterval(int seconds) throws Exception;

        void locateNow() throws Exception;

        void vibrate() throws Exception;

        void awaitAnswer() throws Exception;
    }

    // ---- Kuzet: a stand-in server that does the handshake with frame tags, acks data and sends COMMAND frames ----

    @Test
    void kuzetBraceletObeysCommandFramesAndAnswersEachWithCommandResult() throws Exception {
        int port = listen(() -> new ChannelHandler[] {new KuzetFrameDecoder(), new KuzetStandIn()});
        try (DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", port, 1, 0)) {
            FleetDriver driver = new FleetDriver(fleet, group, f -> fixTimes.add(f.timeMs())).withoutOnBoardZones();
            long[] nextId = {7000};
            ProtocolCommands commands = new ProtocolCommands() {
                private void command(int code, long param) {
                    ByteBuf out = Unpooled.buffer(64);
                    KuzetEncoder.writeCommand(out, 0, ++nextId[0], code, param);
                    send(out);
                }

                @Override
                public void setInterval(int seconds) {
                    command(KuzetCommands.SET_REPORTING_INTERVAL, seconds);
                }

                @Override
                public void locateNow() {
                    command(KuzetCommands.REQUEST_POSITION, 0);
                }

                @Override
                public void vibrate() {
                    command(KuzetCommands.VIBRATE, 3000);
                }

                @Override
                public void awaitAnswer() throws Exception {
                    assertEquals(nextId[0] + ":" + KuzetCommands.RESULT_DONE, answer());
                }
            };
            obeysInterval(driver, commands);
            commands.setInterval(0);   // out of range: rejected, nothing changes
            assertEquals(nextId[0] + ":" + KuzetCommands.RESULT_REJECTED, answer());
            ByteBuf notify = Unpooled.buffer(64);
            KuzetEncoder.writeCommand(notify, 0, ++nextId[0], KuzetCommands.NOTIFY_WEARER, 1);
            send(notify);
            assertEquals(nextId[0] + ":" + KuzetCommands.RESULT_UNSUPPORTED, answer(), "no display: unsupported");
            driver.close();
        }
    }

    /** Sealing is stateful per connection, so every server frame goes out through here, on the channel's loop. */
    private final class KuzetStandIn extends SimpleChannelInboundHandler<ByteBuf> {
        private final byte[] nonce = KuzetAuth.newNonce(new SecureRandom());
        private KuzetFrameMac mac;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext c, Object msg, io.netty.channel.ChannelPromise promise) {
                    if (mac != null && msg instanceof ByteBuf frame
                            && KuzetDecoder.type(frame) == KuzetMessageType.COMMAND.code()) {
                        mac.seal(frame, frame.readerIndex());
                    }
                    c.write(msg, promise);
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            KuzetMessageType type = KuzetMessageType.fromCode(KuzetDecoder.type(frame));
            if (mac != null && !mac.open(frame)) {
                ctx.close();
                return;
            }
            ByteBuf out = ctx.alloc().buffer(96);
            switch (type) {
                case HELLO -> KuzetEncoder.writeChallenge(out, 0, nonce, START_MS);
                case LOGIN -> {
                    byte[] deviceNonce = new byte[16];
                    KuzetDecoder.loginDeviceNonce(frame, deviceNonce);
                    mac = KuzetFrameMac.forServer(KuzetAuth.sessionKey(subject.braceletKey(), nonce, deviceNonce,
                            subject.braceletNumber()));
                    KuzetEncoder.writeLoginResult(out, 0, KuzetLoginStatus.OK, 0, START_MS, subject.reportingIntervalS());
                    mac.seal(out, 0);
                    session = ctx;
                }
                default -> {
                    if (type == KuzetMessageType.COMMAND_RESULT) {
                        answers.add(KuzetDecoder.commandResultId(frame) + ":" + KuzetDecoder.commandResultStatus(frame));
                    }
                    KuzetEncoder.writeAck(out, 0, KuzetDecoder.sequence(frame));
                    mac.seal(out, 0);
                }
            }
            ctx.writeAndFlush(out);
        }
    }

    // ---- GT06: login and locations acked; 0x80 online commands answered with a 0x15 string ----

    @Test
    void gt06BraceletObeysOnlineCommandsTimerWhereAndAnswersWithTheServerFlag() throws Exception {
        int port = listen(() -> new ChannelHandler[] {new Gt06FrameDecoder(), new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                session = ctx;
                if (Gt06Frame.protocolNumber(frame) == Gt06ProtocolNumber.STRING) {
                    int info = Gt06Frame.infoStart(frame);
                    int flag = frame.getInt(info + 1);
                    answers.add(flag + ":" + frame.toString(info + 5, frame.getUnsignedByte(info) - 4, StandardCharsets.US_ASCII));
                }
                ByteBuf out = ctx.alloc().buffer(16);
                Gt06Encoder.writeReply(out, frame, START_MS);
                ctx.writeAndFlush(out);
            }
        }});
        try (DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", port, 1, 0)) {
            FleetDriver driver = new FleetDriver(fleet, s -> group.newLineBracelet(LineBracelet.Kind.GT06, s.braceletNumber(), port),
                    f -> fixTimes.add(f.timeMs())).withoutOnBoardZones();
            int[] flag = {0x100};
            String[] expected = new String[1];
            obeysInterval(driver, new ProtocolCommands() {
                private void command(String text, String answer) {
                    expected[0] = ++flag[0] + ":" + answer;
                    send(gt06OnlineCommand(flag[0], text));
                }

                @Override
                public void setInterval(int seconds) {
                    command("TIMER," + seconds + "#", "TIMER OK:" + seconds);
                }

                @Override
                public void locateNow() {
                    command("WHERE#", "WHERE OK");
                }

                @Override
                public void vibrate() {
                    command("FIND#", "FIND OK");
                }

                @Override
                public void awaitAnswer() throws Exception {
                    assertEquals(expected[0], answer());
                }
            });
        }
    }

    /** 78 78 | len | 80 | 4 + text | server flag | text | serial | crc | 0D 0A (the GT06 online command). */
    private static ByteBuf gt06OnlineCommand(int serverFlag, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer(32 + ascii.length);
        out.writeShort(Gt06Frame.START_STANDARD).writeByte(1 + 1 + 4 + ascii.length + 2 + 2).writeByte(0x80);
        out.writeByte(4 + ascii.length).writeInt(serverFlag).writeBytes(ascii).writeShort(1);
        out.writeShort(Gt06Crc.compute(out, 2, out.writerIndex() - 2)).writeShort(Gt06Frame.STOP);
        return out;
    }

    // ---- Watch: LK answered; UPLOAD, CR and FIND text commands echoed by the watch ----

    @Test
    void watchObeysUploadCrAndFindAndEchoesEach() throws Exception {
        int port = listen(() -> new ChannelHandler[] {new WatchFrameDecoder(), new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                session = ctx;
                String text = frame.toString(StandardCharsets.US_ASCII);
                if (text.contains("*UPLOAD]") || text.contains("*CR]") || text.contains("*FIND]")) {
                    answers.add(text);
                    return;
                }
                ByteBuf out = ctx.alloc().buffer(48);
                if (WatchEncoder.writeReply(out, frame)) {
                    ctx.writeAndFlush(out);
                } else {
                    out.release();
                }
            }
        }});
        try (DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", port, 1, 0)) {
            FleetDriver driver = new FleetDriver(fleet, s -> group.newLineBracelet(LineBracelet.Kind.WATCH, s.braceletNumber(), port),
                    f -> fixTimes.add(f.timeMs())).withoutOnBoardZones();
            long id = subject.braceletNumber();
            String[] expected = new String[1];
            obeysInterval(driver, new ProtocolCommands() {
                private void command(String content, String echo) {
                    expected[0] = "[3G*" + id + "*" + String.format("%04X", echo.length()) + "*" + echo + "]";
                    send(Unpooled.copiedBuffer("[3G*" + id + "*" + String.format("%04X", content.length()) + "*" + content + "]",
                            StandardCharsets.US_ASCII));
                }

                @Override
                public void setInterval(int seconds) {
                    command("UPLOAD," + seconds, "UPLOAD");
                }

                @Override
                public void locateNow() {
                    command("CR", "CR");
                }

                @Override
                public void vibrate() {
                    command("FIND", "FIND");
                }

                @Override
                public void awaitAnswer() throws Exception {
                    assertEquals(expected[0], answer());
                }
            });
        }
    }
}
