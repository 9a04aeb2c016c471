package io.kuzet.server.alert;

/** Receives alerts as the core emits them (live stream, metrics). Called on the core thread: must not block. */
@FunctionalInterface
public interface AlertListener {
    void onAlert(Alert alert);
}
