package io.kuzet.server.core;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the core's alerts go: appended to the alerts journal (skipping transitions already there, e.g. re-derived
 * by the replay after a restart), then handed to live listeners and counted. Core thread only.
 */
public final class AlertEmitter {
    private final AlertJournal journal;
    private final CoreMetrics metrics;
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();
    private boolean replaying;
    private java.util.function.Consumer<Alert> topic;   // Kafka: the alerts topic, every new transition goes there too

    public AlertEmitter(AlertJournal journal, CoreMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    public void addListener(AlertListener listener) {
        listeners.add(listener);
    }

    /**
     * Kafka: every new transition is also appended to the alerts topic (after the local alerts journal, before the
     * listeners). Call before the core starts.
     */
    public void sendTo(java.util.function.Consumer<Alert> alertsTopic) {
        this.topic = alertsTopic;
    }

    /** A transition already emitted by another node: not emitted again if this core re-derives it. */
    void recognise(Alert alert) {
        journal.recognise(alert.alertId(), alert.phase());
    }

    void handOverToCurrentThread() {
        journal.handOverToCurrentThread();
    }

    void replaying(boolean replaying) {
        this.replaying = replaying;
    }

    /** Loads the alert keys after {@code alertIndex} for de-duplicating a replay (see {@link AlertJournal#rememberFrom}). */
    long rememberFrom(long alertIndex) {
        return journal.rememberFrom(alertIndex);
    }

    /** The replay is over: alert de-duplication memory goes back to its bounded window. */
    void endReplay() {
        journal.trim();
    }

    long alertJournalLastIndex() {
        return journal.lastIndex();
    }

    /** Emits the alert unless this transition was emitted before; returns true when it is new. */
    boolean emit(Alert alert, long receivedNanoTime) {
        metrics.openChanged(alert);
        if (!journal.append(alert)) {
            return false;
        }
        if (topic != null) {
            topic.accept(alert);
        }
        metrics.raised(alert);
        if (!replaying && receivedNanoTime != 0 && alert.phase() == Alert.Phase.RAISED) {
            metrics.fixToAlert(System.nanoTime() - receivedNanoTime);
        }
        for (AlertListener listener : listeners) {
            listener.onAlert(alert);
        }
        return true;
    }
}
