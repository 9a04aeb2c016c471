package io.kuzet.server.core;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Victim-unit fixes read on another thread, handed to the core thread for the proximity rules of the offenders it
 * evaluates. With the Kafka evaluation group a victim unit's records may lie in a partition another node evaluates, so
 * the core would never see them; the ledger observer, which follows every partition on every node, puts them here
 * and the core takes them before its next records (docs/scale-out.md, "Proximity rules across partitions").
 *
 * <p>Only the newest fix per victim unit waits (victim positions keep the newest anyway). Thread-safe: {@link #observe}
 * on the observer thread, {@link #drainTo} on the core thread; nothing is allocated unless a victim unit sent a fix.
 */
public final class VictimFixInbox {
    /** Where the core puts a victim fix (its zone stage). */
    interface Sink {
        void victimFix(long victimDeviceId, long fixTimeMs, double lat, double lon, double accuracyMetres);
    }

    private static final class Pending {
        final long victimDeviceId;
        long fixTimeMs;
        double lat;
        double lon;
        double accuracyMetres;

        Pending(long victimDeviceId) {
            this.victimDeviceId = victimDeviceId;
        }
    }

    private final CoreDirectory directory;
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();   // guarded by this
    private final List<Pending> taken = new ArrayList<>();   // core thread
    private volatile boolean waiting;

    VictimFixInbox(CoreDirectory directory) {
        this.directory = directory;
    }

    /** A record of any partition: kept if it carries valid fixes of a victim unit. Observer thread. */
    public void observe(IngestRecord r) {
        if (r.type != IngestRecord.TYPE_DEVICE_MESSAGE) {
            return;
        }
        DeviceRecord device = directory.device(r.deviceId);
        if (device == null || device.role() != DeviceRole.VICTIM_UNIT) {
            return;
        }
        DeviceMessage msg = r.message;
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix fix = msg.fix(i);
            if (fix.isValid() && !fix.isClockFault()) {
                offer(device.id(), fix.timeMs, fix.latitude(), fix.longitude(), fix.accuracyMetres());
            }
        }
    }

    private synchronized void offer(long victimDeviceId, long fixTimeMs, double lat, double lon, double accuracyMetres) {
        Pending p = pending.get(victimDeviceId);
        if (p == null) {
            p = new Pending(victimDeviceId);
            pending.put(victimDeviceId, p);
        } else if (fixTimeMs < p.fixTimeMs) {
            return;   // an older fix read after a newer one: the newer stays
        }
        p.fixTimeMs = fixTimeMs;
        p.lat = lat;
        p.lon = lon;
        p.accuracyMetres = accuracyMetres;
        waiting = true;
    }

    /** Gives every waiting fix to {@code sink}. Core thread; one volatile read when nothing waits. */
    void drainTo(Sink sink) {
        if (!waiting) {
            return;
        }
        synchronized (this) {
            taken.addAll(pending.values());
            pending.clear();
            waiting = false;
        }
        for (Pending p : taken) {
            sink.victimFix(p.victimDeviceId, p.fixTimeMs, p.lat, p.lon, p.accuracyMetres);
        }
        taken.clear();
    }
}
