package io.kuzet.server.ingest;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live connection of each logged-in device. A new login of a device closes its previous connection, so one
 * device never has two sessions writing at once. Thread-safe.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Long, Channel> byDevice = new ConcurrentHashMap<>();

    void loggedIn(long deviceId, Channel channel) {
        Channel previous = byDevice.put(deviceId, channel);
        if (previous != null && previous != channel) {
            previous.close();
        }
    }

    void closed(long deviceId, Channel channel) {
        byDevice.remove(deviceId, channel);
    }

}
