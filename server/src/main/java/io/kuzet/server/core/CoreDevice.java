package io.kuzet.server.core;

import io.kuzet.geofence.state.StateFields;

/**
 * What the evaluation core remembers about one device between records: communication and fix times for the
 * absence timers, the open condition alerts, and the newest fix time to recognise late data. Owned by the core
 * thread; plain fields, no synchronisation.
 */
final class CoreDevice {
    static final long NONE = 0;

    /**
     * What a core snapshot keeps of a device, by stable name. A new field of this class that a replay would rebuild
     * needs one line here and nothing else (see server/RATIONALE.md, "Snapshots of core state").
     */
    static final StateFields<CoreDevice> FIELDS = new StateFields<CoreDevice>()
            .field("lastCommunicationMs", d -> d.lastCommunicationMs, (d, v) -> d.lastCommunicationMs = v)
            .field("lastValidFixMs", d -> d.lastValidFixMs, (d, v) -> d.lastValidFixMs = v)
            .field("newestFixTimeMs", d -> d.newestFixTimeMs, (d, v) -> d.newestFixTimeMs = v)
            .field("monitoringSinceMs", d -> d.monitoringSinceMs, (d, v) -> d.monitoringSinceMs = v)
            .field("noCommunicationAlert", d -> d.noCommunicationAlert, (d, v) -> d.noCommunicationAlert = v)
            .field("noFixAlert", d -> d.noFixAlert, (d, v) -> d.noFixAlert = v)
            .field("batteryLowAlert", d -> d.batteryLowAlert, (d, v) -> d.batteryLowAlert = v)
            .field("batteryCriticalAlert", d -> d.batteryCriticalAlert, (d, v) -> d.batteryCriticalAlert = v)
            .field("powerOffAlert", d -> d.powerOffAlert, (d, v) -> d.powerOffAlert = v)
            .field("strapTamperAlert", d -> d.strapTamperAlert, (d, v) -> d.strapTamperAlert = v)
            .field("caseTamperAlert", d -> d.caseTamperAlert, (d, v) -> d.caseTamperAlert = v)
            .field("clockFaultAlert", d -> d.clockFaultAlert, (d, v) -> d.clockFaultAlert = v)
            .field("clockFaultRun", d -> d.clockFaultRun, (d, v) -> d.clockFaultRun = (int) v)
            .field("clockFaultSinceMs", d -> d.clockFaultSinceMs, (d, v) -> d.clockFaultSinceMs = v)
            .field("pursuitAlert", d -> d.pursuitAlert, (d, v) -> d.pursuitAlert = v)
            .field("pursuitViolations", d -> d.pursuitViolations, (d, v) -> d.pursuitViolations = (int) v)
            .field("pursuitEndsAtMs", d -> d.pursuitEndsAtMs, (d, v) -> d.pursuitEndsAtMs = v);

    final long deviceId;
    long lastCommunicationMs = -1;    // journal time of the last message
    long lastValidFixMs = -1;         // journal time of the last message with a valid fix
    long newestFixTimeMs = Long.MIN_VALUE;
    long monitoringSinceMs = -1;      // first journal time the core saw the device assigned (absence baseline)

    long noCommunicationAlert = NONE;    // open alert ids, NONE when closed
    long noFixAlert = NONE;
    long batteryLowAlert = NONE;
    long batteryCriticalAlert = NONE;
    long powerOffAlert = NONE;
    long strapTamperAlert = NONE;     // episode open until STRAP_RESTORED; the alert itself stays for an operator
    long caseTamperAlert = NONE;
    long clockFaultAlert = NONE;

    int clockFaultRun;                // clock-faulty fixes in a row (no good fix in between)
    long clockFaultSinceMs = -1;      // journal time of the first of them

    long pursuitAlert = NONE;         // the violation that switched the device to fast reporting, NONE when normal
    int pursuitViolations;            // violations open since then; the pursuit ends pursuitHoldS after the last closes
    long pursuitEndsAtMs = -1;        // journal time the hold ends (-1 while a violation is open)

    Object zoneState;                 // per-rule geofence state, owned by ZoneStage (which snapshots it itself)

    CoreDevice(long deviceId) {
        this.deviceId = deviceId;
    }
}
