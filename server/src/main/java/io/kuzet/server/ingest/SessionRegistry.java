package io.kuzet.server.ingest;

import io.kuzet.server.config.ServerConfig.DuplicateSessionPolicy;
import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live connection of each logged-in device, so one device never has two sessions writing at once. What a second
 * login of a connected device does is the caller's {@link DuplicateSessionPolicy}: {@code REPLACE} closes the previous
 * connection, {@code REFUSE} keeps it and turns the newcomer away (docs/device-trust.md). Thread-safe.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Long, Channel> byDevice = new ConcurrentHashMap<>();

    /**
     * Registers {@code channel} as the session of {@code deviceId}. Returns null when the device had no other live
     * session; otherwise the other session's channel: already closed (REPLACE, and {@code channel} is registered) or
     * left in place (REFUSE, and {@code channel} is not registered).
     */
    Channel loggedIn(long deviceId, Channel channel, DuplicateSessionPolicy policy) {
        Channel[] other = new Channel[1];
        byDevice.compute(deviceId, (id, previous) -> {
            if (previous == null || previous == channel || !previous.isActive()) {
                return channel;
            }
            other[0] = previous;
            return policy == DuplicateSessionPolicy.REPLACE ? channel : previous;
        });
        if (other[0] != null && policy == DuplicateSessionPolicy.REPLACE) {
            other[0].close();
        }
        return other[0];
    }

    void closed(long deviceId, Channel channel) {
        byDevice.remove(deviceId, channel);
    }
}
