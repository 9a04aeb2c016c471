package io.kuzet.server.http;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJson;
import io.kuzet.server.alert.AlertListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every alert transition as JSON to the WebSocket subscribers of {@code /live}. The JSON is built once per
 * alert. A subscriber that cannot keep up (its socket buffer full) is disconnected rather than buffered without
 * bound; it reconnects and reloads the queue from the API. Thread-safe.
 */
public final class LiveAlertHub implements AlertListener {
    private static final Logger LOG = LoggerFactory.getLogger(LiveAlertHub.class);

    private final ChannelGroup subscribers = new DefaultChannelGroup("live", GlobalEventExecutor.INSTANCE);

    public LiveAlertHub(MeterRegistry registry) {
        registry.gauge("kuzet_live_subscribers", subscribers, ChannelGroup::size);
    }

    void subscribe(Channel channel) {
        subscribers.add(channel);
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void onAlert(Alert alert) {
        if (subscribers.isEmpty()) {
            return;
        }
        String json = AlertJson.toJson(alert);
        for (Channel channel : subscribers) {
            if (channel.isWritable()) {
                channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
            } else {
                LOG.warn("live subscriber {} is not keeping up; disconnecting it", channel.remoteAddress());
                channel.close();
            }
        }
    }

    public void close() {
        subscribers.close();
    }
}
