package io.kuzet.geofence.decision;

/**
 * Receives transitions synchronously on the evaluating thread. The event object is reused: copy what you keep
 * before returning.
 */
@FunctionalInterface
public interface TransitionListener {
    void onTransition(TransitionEvent event);
}
