package io.kuzet.server.ingest;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Journal;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import java.util.concurrent.TimeUnit;

/**
 * The protocol-neutral step of ingestion: de-duplicate a decoded message, check its fix times against the receive
 * time, and append it to the journal. Session handlers ack the device only after the returned index is durable.
 *
 * <p>Time sanity: a fix dated more than {@code limits.maxFixAheadS} after its receive time or more than
 * {@code limits.maxFixAgeDays} before it is marked {@link Fix#FLAG_CLOCK_FAULT}. It is journaled (and acked) like any
 * other fix, with the device's claimed time and the receive time, so nothing is lost as evidence, but the evaluation
 * core never evaluates it: one fix dated 2099 would otherwise make every later fix of the device "late".
 *
 * <p>Thread-safe (per-device monitor); allocation-free.
 */
public final class IngestService {
    /** Returned by {@link #accept} for a retransmission that is already in the journal. */
    public static final long DUPLICATE = -2;
    /** Returned by {@link #accept} when the sequence skips the next expected one (Kuzet): not stored, the device resends. */
    public static final long GAP = -3;

    private final Journal journal;
    private final IngestMetrics metrics;
    private final long maxFixAheadMs;
    private final long maxFixAgeMs;

    /** With the default limits of {@link ServerConfig.Limits}. */
    public IngestService(Journal journal, IngestMetrics metrics) {
        this(journal, metrics, new ServerConfig.Limits());
    }

    public IngestService(Journal journal, IngestMetrics metrics, ServerConfig.Limits limits) {
        this.journal = journal;
        this.metrics = metrics;
        this.maxFixAheadMs = TimeUnit.SECONDS.toMillis(limits.maxFixAheadS);
        this.maxFixAgeMs = TimeUnit.DAYS.toMillis(limits.maxFixAgeDays);
    }

    /** Journals {@code msg} for the device unless it is a retransmission; returns the journal index or {@link #DUPLICATE}. */
    public long accept(DeviceIngestState state, Protocol protocol, DeviceMessage msg, long receivedMs, long receivedNanoTime) {
        return accept(state, protocol, msg, receivedMs, receivedNanoTime, false);
    }

    /**
     * As {@link #accept(DeviceIngestState, Protocol, DeviceMessage, long, long)}, with
     *
     * @param mayResync   Kuzet: this is the first intact data message of the session, so a sequence past the next
     *                    expected one means the device is ahead of what the server still knows (journal retention or
     *                    loss, a restored backup) and is accepted as a resynchronisation instead of a gap (protocol.md §4)
     */
    public long accept(DeviceIngestState state, Protocol protocol, DeviceMessage msg, long receivedMs, long receivedNanoTime,
                       boolean mayResync) {
        metrics.positions(protocol, msg.fixCount());
        synchronized (state) {
            if (state.isDuplicate(protocol, msg)) {
                metrics.duplicate(protocol);
                return DUPLICATE;
            }
            if (state.isGap(protocol, msg.sequence)) {
                if (!mayResync) {
                    return GAP;
                }
                metrics.sequenceResync(protocol);
            }
            int clockFaults = markClockFaults(msg, receivedMs);
            long start = System.nanoTime();
            long index = journal.appendDeviceMessage(receivedMs, receivedNanoTime, state.deviceId, protocol.code(), msg);
            metrics.journalAppended(System.nanoTime() - start);
            state.remember(protocol, msg);
            state.lastIndex = index;
            if (clockFaults > 0) {
                state.clockFaultFixes += clockFaults;
                metrics.clockFaultFixes(protocol, clockFaults);
            }
            return index;
        }
    }

    /** Flags every fix whose time is implausible for {@code receivedMs}; returns how many. */
    private int markClockFaults(DeviceMessage msg, long receivedMs) {
        long latestMs = receivedMs + maxFixAheadMs;
        long earliestMs = receivedMs - maxFixAgeMs;
        int faults = 0;
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix f = msg.fix(i);
            if (f.timeMs > latestMs || f.timeMs < earliestMs) {
                f.flags |= Fix.FLAG_CLOCK_FAULT;
                faults++;
            }
        }
        return faults;
    }

    /**
     * A message that failed validation: resending it will not help, so its sequence is consumed (journaled as refused,
     * then acked) and one bad message never blocks the device's buffer. Returns the journal index, {@link #DUPLICATE}
     * or {@link #GAP} like {@link #accept}.
     */
    public long consumeRefused(DeviceIngestState state, Protocol protocol, long deviceNumber, long sequence, int reason,
                               long receivedMs) {
        synchronized (state) {
            if (sequence <= state.lastSequence) {
                return DUPLICATE;
            }
            if (state.isGap(protocol, sequence)) {
                return GAP;
            }
            long index = journal.appendRefused(receivedMs, state.deviceId, deviceNumber, protocol.code(), sequence, reason);
            state.lastSequence = sequence;
            state.lastIndex = index;
            return index;
        }
    }

    public Journal journal() {
        return journal;
    }

}
