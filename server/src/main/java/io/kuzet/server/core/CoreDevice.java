package io.kuzet.server.core;

/**
 * What the evaluation core remembers about one device between records: communication and fix times for the
 * absence timers, the open condition alerts, and the newest fix time to recognise late data. Owned by the core
 * thread; plain fields, no synchronisation.
 */
final class CoreDevice {
    static final long NONE = 0;

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

    Object zoneState;                 // per-rule geofence state, owned by ZoneStage

    CoreDevice(long deviceId) {
        this.deviceId = deviceId;
    }
}
