package io.kuzet.server.api.live;

/**
 * Records that a live stream was opened (who, which agency, which kinds, from where). Called on a worker thread
 * before the 101; a failure refuses the stream, so no stream is opened unaudited. Thread-safe.
 */
@FunctionalInterface
public interface LiveAudit {
    void opened(LiveSubscription subscription, String remoteAddress) throws Exception;
}
