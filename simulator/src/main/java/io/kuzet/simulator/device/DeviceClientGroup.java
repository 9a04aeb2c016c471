package io.kuzet.simulator.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty event loop group and bootstrap shared by every simulated device of a run. Devices are spread over the
 * loops; against a loopback server each block of {@code devicesPerSourceAddress} devices connects from its own
 * 127.x.y.z source address, so tens of thousands of connections neither run out of ephemeral ports nor trip the
 * server's per-address connection cap. Thread-safe; close it once at the end.
 */
public final class DeviceClientGroup implements AutoCloseable {
    private final EventLoopGroup group;
    private final Bootstrap template;
    private final InetSocketAddress remote;
    private final int devicesPerSourceAddress;
    private final boolean loopback;
    private int created;

    public DeviceClientGroup(String host, int port, int threads, int devicesPerSourceAddress) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.remote = new InetSocketAddress(host, port);
        this.loopback = remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
        this.devicesPerSourceAddress = devicesPerSourceAddress;
        this.template = new Bootstrap().channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** A new device, pinned to the next event loop. */
    public synchronized KuzetDevice newDevice(long deviceNumber, byte[] key, DeviceListener listener) {
        int index = created++;
        return new KuzetDevice(deviceNumber, key, group.next(), template, remote, sourceAddress(index), listener);
    }

    /** A new GT06 tracker, pinned to the next event loop. */
    public synchronized Gt06Device newGt06Device(long imei, DeviceListener listener) {
        int index = created++;
        return new Gt06Device(imei, group.next(), template, remote, sourceAddress(index), listener);
    }

    /** A GT06 or Watch bracelet for the quality run, connecting to {@code port} on this group's host. */
    public synchronized LineBracelet newLineBracelet(LineBracelet.Kind kind, long number, int port) {
        created++;
        return new LineBracelet(kind, number, group.next(), template, new InetSocketAddress(remote.getAddress(), port));
    }

    /** A Kuzet bracelet as the fleet driver uses it. */
    public Bracelet newBracelet(long deviceNumber, byte[] key) {
        return new KuzetBracelet(newDevice(deviceNumber, key, DeviceListener.NONE));
    }

    private InetSocketAddress sourceAddress(int index) {
        if (!loopback || devicesPerSourceAddress <= 0) {
            return null;
        }
        int block = index / devicesPerSourceAddress;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) (block / 250), (byte) (1 + block % 250)}), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
