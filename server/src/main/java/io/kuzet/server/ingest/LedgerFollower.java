package io.kuzet.server.ingest;

import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The de-duplication ledger as of one journal index: the evaluation core feeds it every record it evaluates, so its
 * content always matches the core's position and can go into the core's snapshot. At start the live
 * {@link DeviceLedger} is copied from it after the core restored its snapshot and replayed the tail, instead of
 * scanning the whole journal. Owned by the core thread; allocates only for a device seen for the first time.
 */
public final class LedgerFollower {
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private final Long2ObjectHashMap<DeviceIngestState> states = new Long2ObjectHashMap<>();

    /** Applies a journal record the way ingestion applied it when the record was appended. */
    public void apply(IngestRecord record) {
        if (record.type == IngestRecord.TYPE_DEVICE_MESSAGE || record.type == IngestRecord.TYPE_REFUSED_MESSAGE) {
            DeviceIngestState state = states.get(record.deviceId);
            if (state == null) {
                state = new DeviceIngestState(record.deviceId);
                states.put(record.deviceId, state);
            }
            state.remember(protocol(record.protocol), record.message);
        }
    }

    private static Protocol protocol(int code) {
        for (Protocol p : PROTOCOLS) {
            if (p.code() == code) {
                return p;
            }
        }
        return Protocol.fromCode(code);   // throws: an unknown protocol code
    }

    public int size() {
        return states.size();
    }

    /** Writes every device's state: the field names once, then the values per device. */
    public void writeTo(DataOutput out) throws IOException {
        String[] names = DeviceIngestState.FIELDS.names();
        out.writeInt(names.length);
        for (String name : names) {
            out.writeUTF(name);
        }
        long[] values = new long[names.length];
        out.writeInt(states.size());
        for (DeviceIngestState state : states.values()) {
            out.writeLong(state.deviceId);
            DeviceIngestState.FIELDS.save(state, values);
            for (long v : values) {
                out.writeLong(v);
            }
        }
    }

    /** Replaces the content with what {@link #writeTo} wrote (possibly by an older version with other fields). */
    public void readFrom(DataInput in) throws IOException {
        states.clear();
        String[] names = new String[in.readInt()];
        for (int i = 0; i < names.length; i++) {
            names[i] = in.readUTF();
        }
        int[] mapping = DeviceIngestState.FIELDS.mapping(names);
        long[] values = new long[names.length];
        int count = in.readInt();
        for (int n = 0; n < count; n++) {
            DeviceIngestState state = new DeviceIngestState(in.readLong());
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readLong();
            }
            DeviceIngestState.FIELDS.load(state, mapping, values);
            states.put(state.deviceId, state);
        }
    }

    /** Copies every device's state into the live ledger (before the device ports open). */
    public void copyInto(DeviceLedger ledger) {
        int[] identity = DeviceIngestState.FIELDS.mapping(DeviceIngestState.FIELDS.names());
        long[] values = new long[identity.length];
        for (DeviceIngestState state : states.values()) {
            DeviceIngestState copy = ledger.stateFor(state.deviceId);
            DeviceIngestState.FIELDS.save(state, values);
            synchronized (copy) {
                DeviceIngestState.FIELDS.load(copy, identity, values);
            }
        }
    }
}
