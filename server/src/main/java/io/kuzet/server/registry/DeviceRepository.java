package io.kuzet.server.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The one write path for devices and their assignments to subjects, used by the API and the provisioning import
 * (device upserts batched there). An assignment is history: it is closed, never changed or deleted. Not thread-safe
 * (one per {@link RegistryWrites}).
 */
public final class DeviceRepository {
    /** The protocols ingestion speaks. */
    public static final List<String> PROTOCOLS = List.of("kuzet", "gt06", "watch");
    /** Shortest HMAC key of a Kuzet device (bytes). */
    public static final int MIN_KEY_BYTES = 16;
    private static final String INSERT = """
            insert into devices (protocol, device_number, secret_key, role, firmware, allowed_sources)
            values (?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_ASSIGNMENT =
            "insert into device_assignments (device_id, subject_id, assigned_at) values (?, ?, ?) returning id";

    private final Statements statements;
    private final Statements.Batch upserts;

    DeviceRepository(Statements statements) {
        this.statements = statements;
        this.upserts = statements.batch(INSERT + """
                 on conflict (protocol, device_number) do update set secret_key = excluded.secret_key,
                    role = excluded.role, firmware = excluded.firmware, allowed_sources = excluded.allowed_sources""");
    }

    /**
     * A device as written; checked on construction. {@code secretKey}: the HMAC key, required for Kuzet devices;
     * {@code allowedSources}: {@link SourceNetworks#ANY} = its agency's networks apply.
     */
    public record Device(String protocol, long number, byte[] secretKey, DeviceRole role, String firmware,
                         SourceNetworks allowedSources) {
        public Device {
            protocol = Checks.text("protocol", protocol, 16).toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw RegistryRefusal.invalid("'protocol' must be one of " + PROTOCOLS);
            }
            if (number <= 0) {
                throw RegistryRefusal.invalid("'deviceNumber' must be a positive id");
            }
            Checks.required("role", role);
            if (protocol.equals("kuzet") && (secretKey == null || secretKey.length < MIN_KEY_BYTES)) {
                throw RegistryRefusal.invalid("Kuzet devices authenticate with a key: 'secretKeyHex' of at least "
                        + MIN_KEY_BYTES + " bytes is required");
            }
            firmware = Checks.optionalText("firmware", firmware, 100);
            allowedSources = allowedSources == null ? SourceNetworks.ANY : allowedSources;
        }

        /** With the key in hexadecimal and the source networks as CIDR blocks (absent or empty: any). */
        public Device(String protocol, long number, String secretKeyHex, DeviceRole role, String firmware,
                      List<String> allowedSources) {
            this(protocol, number, key(secretKeyHex), role, firmware,
                    Checks.sources(allowedSources, "device " + protocol + " " + number));
        }

        private static byte[] key(String hex) {
            if (hex == null) {
                return null;
            }
            try {
                return HexFormat.of().parseHex(hex.strip());
            } catch (IllegalArgumentException e) {
                throw RegistryRefusal.invalid("'secretKeyHex' must be hexadecimal");
            }
        }
    }

    /** Inserts a new device; a number in use for the protocol is the database's unique violation. */
    public long create(Device d) throws SQLException {
        return statements.id(INSERT + " returning id", args(d));
    }

    /** Inserts or updates the device of that number in a batch, sent when full or by {@link RegistryWrites#flush()}. */
    public void upsert(String label, Device d) throws SQLException {
        upserts.add(label, args(d));
    }

    /**
     * Puts the device on the subject from {@code at}; answers the assignment's id. A device on a subject already is a
     * conflict: it must be unassigned first.
     */
    public long assign(long deviceId, long subjectId, Instant at) throws SQLException {
        Checks.required("assignedAt", at);
        if (statements.first(0, "select subject_id from device_assignments where device_id = ? and unassigned_at is null",
                deviceId) != 0) {
            throw RegistryRefusal.conflict("the device is assigned to a subject already; unassign it first");
        }
        return statements.id(INSERT_ASSIGNMENT, deviceId, subjectId, Timestamp.from(at));
    }

    /**
     * Puts the device on the subject from {@code at} unless it is there already, closing its current assignment at
     * {@code at} (provisioning: the file says where each device is).
     */
    public void reassign(long deviceId, long subjectId, Instant at) throws SQLException {
        Checks.required("assignedAt", at);
        long current = statements.first(0,
                "select subject_id from device_assignments where device_id = ? and unassigned_at is null", deviceId);
        if (current == subjectId) {
            return;
        }
        if (current != 0) {
            statements.update("update device_assignments set unassigned_at = ? where device_id = ? and unassigned_at is null",
                    Timestamp.from(at), deviceId);
        }
        statements.id(INSERT_ASSIGNMENT, deviceId, subjectId, Timestamp.from(at));
    }

    /** A closed assignment. */
    public record Unassigned(long assignmentId, long subjectId) {
    }

    /**
     * Takes the device off its subject at {@code at} (not before the assignment began).
     *
     * @param agencyId only an assignment to a subject of this agency is closed; 0 = any agency
     */
    public Unassigned unassign(long deviceId, Instant at, long agencyId) throws SQLException {
        try (ResultSet rs = statements.bind("""
                update device_assignments a set unassigned_at = greatest(?, a.assigned_at)
                from subjects s where s.id = a.subject_id and a.device_id = ? and a.unassigned_at is null
                  and (? = 0 or s.agency_id = ?)
                returning a.id, a.subject_id""", Timestamp.from(at), deviceId, agencyId, agencyId).executeQuery()) {
            if (!rs.next()) {
                throw RegistryRefusal.conflict("the device is not assigned");
            }
            return new Unassigned(rs.getLong(1), rs.getLong(2));
        }
    }

    private static Object[] args(Device d) {
        return new Object[] {d.protocol(), d.number(), d.secretKey(), d.role().name(), d.firmware(),
                Checks.cidrArray(d.allowedSources())};
    }
}
