package io.kuzet.server.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Imports a provisioning YAML file (agencies, users, subjects, zones, devices, orders with rules and schedules,
 * device assignments) in one transaction, idempotently: every row is upserted on its natural key, a rule's schedule
 * is replaced by the file's, and an assignment already in force is left alone. Importing a file twice leaves the same
 * rows. A bad file (unknown field, unknown reference, invalid value) imports nothing. Registry rows are written through
 * {@link RegistryWrites}, the repositories the API writes through, so the import refuses exactly what the API refuses.
 *
 * <p>The file is read as a stream, entry by entry, each entry written (batched) as it is read: the heap needed does
 * not depend on the file's size. Thread-safe (stateless apart from the data source). Cost: a few statements per
 * entry, most of them batched.
 */
public final class ProvisioningImporter {
    /**
     * Largest file imported (bytes): SnakeYAML's code-point limit (3 MiB by default, refusing 10,000 subjects) is
     * raised to it on purpose. The file is streamed, so the heap does not grow with it; the limit keeps one import (one
     * transaction) to about 200,000 subjects with their zones, devices, orders and assignments (docs/provisioning.md).
     */
    public static final int MAX_FILE_BYTES = 256 * 1024 * 1024;
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions()).build())
            .registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final AuditSink audit;

    /** Records each import in the audit log, inside the import's transaction. */
    @FunctionalInterface
    public interface AuditSink {
        /**
         * @param source the file imported
         * @param sha256 hexadecimal SHA-256 of its bytes (identifies exactly what was imported)
         * @param counts entries per section of the file
         */
        void imported(Connection c, String source, String sha256, Map<String, Integer> counts) throws SQLException;
    }

    /** An importer whose runs are not audited (tests of the import itself). */
    public ProvisioningImporter(DataSource dataSource) {
        this(dataSource, null);
    }

    public ProvisioningImporter(DataSource dataSource, AuditSink audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        return options;
    }

    /** A file refused: one line naming the entry (e.g. {@code subjects[1234] (externalCaseId KZ-1): unknown agency XYZ}). */
    public static final class ProvisioningException extends IllegalArgumentException {
        ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Imports the file in one transaction, or nothing. The file is read entry by entry as it is written, so the heap
     * the import needs does not grow with the file; a section may refer only to sections above it (or to rows
     * already in the database), see {@link Run#all}.
     *
     * @throws ProvisioningException the file is too large, does not parse, has its sections out of order, or an entry
     *                               is invalid or refers to something missing (the message is one line naming the entry)
     */
    public void importFile(Path yaml) throws IOException, SQLException {
        long size = java.nio.file.Files.size(yaml);
        if (size > MAX_FILE_BYTES) {
            throw new ProvisioningException(yaml + ": " + size + " bytes is more than the " + MAX_FILE_BYTES
                    + " bytes a provisioning file may have; split it into several files", null);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Run run = new Run(c, yaml); JsonParser parser = YAML.createParser(yaml.toFile())) {
                Map<String, Integer> counts = run.all(parser);
                if (audit != null) {
                    audit.imported(c, yaml.toString(), sha256(yaml), counts);
                }
                c.commit();
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** One line: where in the file ({@code within}.field, line) and what. */
    private static String describe(String within, com.fasterxml.jackson.core.JacksonException e) {
        StringBuilder where = new StringBuilder(within);
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    where.append(where.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    where.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        String line = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ")";
        String what = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        return (where.isEmpty() ? "" : where + line + ": ") + (where.isEmpty() ? what + line : what);
    }

    /** SHA-256 of the file, read a block at a time. */
    private static String sha256(Path file) throws IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[64 * 1024];
            for (int read; (read = in.read(block)) > 0; ) {
                digest.update(block, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One import inside one transaction. Every registry row is written through {@link RegistryWrites}, the repositories
     * the API uses too, so a file is refused for exactly what the API refuses; the run adds the resolution of the file's
     * natural keys (agency code, case id, device number, zone name) to ids, from a cache of bounded size.
     */
    private static final class Run implements AutoCloseable {
        /** Ids kept per kind of key: repeated references (an agency, a shared zone) hit; memory stays bounded. */
        private static final int CACHED_IDS = 10_000;

        private final Path file;
        private final RegistryWrites writes;
        private final Statements statements;
        private final Map<String, Long> agencyIds = cache();
        private final Map<String, Long> subjectIds = cache();
        private final Map<String, Long> deviceIds = cache();
        private final Map<String, Long> zoneIds = cache();
        /** Entries per section, and rules; in the file format's order (the audit entry lists them). */
        private final Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        /** Sections read so far, in the file's order. */
        private final Set<String> seen = new java.util.LinkedHashSet<>();

        Run(Connection c, Path file) {
            this.file = file;
            this.writes = new RegistryWrites(c);
            this.statements = writes.statements();
            for (String section : List.of("agencies", "users", "subjects", "zones", "devices", "orders", "rules",
                    "assignments")) {
                counts.put(section, 0);
            }
        }

        private static Map<String, Long> cache() {
            return new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > CACHED_IDS;
                }
            };
        }

        @Override
        public void close() throws SQLException {
            writes.close();
        }

        /**
         * A section of the file: the type of its entries, what names an entry in an error, how an entry is imported,
         * and the sections its entries refer to (which must come above it in the file).
         */
        private record Section<T>(String name, Class<T> type, java.util.function.Function<T, String> key, Entry<T> run,
                                  Set<String> refersTo) {
        }

        /** Imports one entry of a section; {@code label} names it for rows sent later in a batch. */
        private interface Entry<T> {
            void run(T entry, String label) throws SQLException;
        }

        private List<Section<?>> sections() {
            return List.of(
                    new Section<>("agencies", ProvisioningFile.Agency.class, a -> "code " + a.code(), (a, label) ->
                            agencyIds.put(a.code(), writes.agencies().upsert(new AgencyRepository.Agency(a.code(), a.name(),
                                    a.region(), a.allowedSources()))), Set.of()),
                    new Section<>("users", ProvisioningFile.User.class, u -> "username " + u.username(), (u, label) ->
                            statements.id("""
                                    insert into users (username, password_hash, role, agency_id) values (?, ?, ?, ?)
                                    on conflict (username) do update set password_hash = excluded.password_hash,
                                        role = excluded.role, agency_id = excluded.agency_id returning id""",
                                    u.username(), u.passwordHash(), u.role(), u.agency() == null ? null : agency(u.agency())),
                            Set.of("agencies")),
                    new Section<>("subjects", ProvisioningFile.Subject.class, s -> "externalCaseId " + s.externalCaseId(),
                            (s, label) -> writes.subjects().upsert(label, new SubjectRepository.Subject(agency(s.agency()),
                                    s.externalCaseId(), s.displayName(), s.preTrial(), s.phone(), s.officerName(),
                                    s.officerPhone())), Set.of("agencies")),
                    new Section<>("zones", ProvisioningFile.Zone.class, z -> "name " + z.name(), (z, label) ->
                            writes.zones().upsert(label, new ZoneRepository.Zone(agency(z.agency()), z.name(), z.kind(),
                                    json(z))), Set.of("agencies")),
                    new Section<>("devices", ProvisioningFile.Device.class, d -> d.protocol() + " " + d.number(),
                            (d, label) -> writes.devices().upsert(label, new DeviceRepository.Device(d.protocol(),
                                    d.number(), d.secretKey(), d.role() == null ? DeviceRole.BRACELET
                                    : value("role", DeviceRole.class, d.role()), d.firmware(), d.allowedSources())),
                            Set.of()),
                    new Section<>("orders", ProvisioningFile.Order.class, o -> "legalReference " + o.legalReference(),
                            (o, label) -> order(o), Set.of("agencies", "subjects", "zones", "devices")),
                    new Section<>("assignments", ProvisioningFile.Assignment.class, a -> a.device() == null ? "no device"
                            : a.device().protocol() + " " + a.device().number(),
                            (a, label) -> writes.devices().reassign(device(a.device()), subject(a.subject()),
                                    a.assignedAt()), Set.of("subjects", "devices")));
        }

        /**
         * Reads the file section by section, entry by entry, importing each entry as it is read (rows batched by the
         * repositories). An entry's references are resolved when it is read, so a section must come after the
         * sections it refers to (the order {@code docs/provisioning.md} gives, which the export writes); a section out
         * of that order or given twice is refused by name.
         *
         * @return entries per section, and rules
         */
        Map<String, Integer> all(JsonParser p) throws IOException, SQLException {
            Map<String, Section<?>> byName = new java.util.LinkedHashMap<>();
            for (Section<?> s : sections()) {
                byName.put(s.name(), s);
            }
            JsonToken token = next(p, "");
            if (token == null) {
                throw refused("", p, "the file is empty");
            }
            if (token != JsonToken.START_OBJECT) {
                throw refused("", p, "a provisioning file is a mapping of sections " + byName.keySet());
            }
            while ((token = next(p, "")) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Section<?> section = byName.get(name);
                if (section == null) {
                    throw refused(name, p, "unknown section; the sections are " + byName.keySet());
                }
                if (!seen.add(name)) {
                    throw refused(name, p, "the section is given twice; give each section once");
                }
                for (String earlier : seen) {
                    if (byName.get(earlier).refersTo().contains(name)) {
                        throw refused(name, p, "must come before " + earlier + ", which refers to it; give the "
                                + "sections in the order " + byName.keySet());
                    }
                }
                entries(p, section);
            }
            return counts;
        }

        /** Imports a section's entries as they are read; a failure becomes one line naming the entry. */
        private <T> void entries(JsonParser p, Section<T> section) throws IOException, SQLException {
            String name = section.name();
            JsonToken token = next(p, name);
            if (token == JsonToken.VALUE_NULL) {
                return;
            }
            if (token != JsonToken.START_ARRAY) {
                throw refused(name, p, "a section is a list of entries");
            }
            int i = 0;
            while (next(p, name + "[" + i + "]") != JsonToken.END_ARRAY) {
                String at = name + "[" + i + "]";
                T entry;
                try {
                    entry = YAML.readValue(p, section.type());
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new ProvisioningException(file + ": " + describe(at, e), e);
                }
                if (entry == null) {
                    throw refused(at, p, "empty entry");
                }
                String label = at + " (" + section.key().apply(entry) + ")";
                try {
                    section.run().run(entry, label);
                } catch (ProvisioningException e) {
                    throw e;
                } catch (Statements.BatchRowRefused e) { // an earlier entry's row, named by its own label
                    throw new ProvisioningException(e.getMessage(), e);
                } catch (SQLException | RuntimeException e) {
                    String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                    throw new ProvisioningException(label + ": " + message + notAboveYet(section, message), e);
                }
                i++;
            }
            counts.merge(name, i, Integer::sum);
            try {
                writes.flush();
            } catch (Statements.BatchRowRefused e) {
                throw new ProvisioningException(e.getMessage(), e);
            }
        }

        /** For an unknown reference while sections it may refer to are still to come: the order the file needs. */
        private String notAboveYet(Section<?> section, String message) {
            List<String> missing = counts.keySet().stream() // in the file's order
                    .filter(s -> section.refersTo().contains(s) && !seen.contains(s)).toList();
            return missing.isEmpty() || !message.contains("unknown ") ? ""
                    : "; an entry may only refer to entries above it: put " + String.join(", ", missing) + " above "
                    + section.name();
        }

        /** The next token; a file that does not parse is refused naming where ({@code at}, line). */
        private JsonToken next(JsonParser p, String at) throws IOException {
            try {
                return p.nextToken();
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new ProvisioningException(file + ": " + describe(at, e), e);
            }
        }

        /** A refusal naming the file, where ({@code at}, line) and why, in one line. */
        private ProvisioningException refused(String at, JsonParser p, String why) {
            int line = p.currentTokenLocation() == null ? -1 : p.currentTokenLocation().getLineNr();
            return new ProvisioningException(file + ": " + at + (line < 0 ? "" : " (line " + line + ")") + ": " + why,
                    null);
        }

        private void order(ProvisioningFile.Order o) throws SQLException {
            long orderId = writes.orders().upsert(new OrderRepository.Order(subject(o.subject()), o.legalReference(),
                    value("kind", OrderKind.class, o.kind()), o.startsAt(), o.endsAt(), OrderRepository.timeZone(o.timeZone()),
                    value("riskLevel", RiskLevel.class, o.riskLevel()), o.noCommunicationLimitS(), o.noFixLimitS()));
            long agencyId = agency(o.subject().agency());
            counts.merge("rules", list(o.rules()).size(), Integer::sum);
            for (ProvisioningFile.Rule r : list(o.rules())) {
                try {
                    rule(orderId, agencyId, r);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("rule '" + r.name() + "': " + e.getMessage(), e);
                }
            }
        }

        private void rule(long orderId, long agencyId, ProvisioningFile.Rule r) throws SQLException {
            List<RuleRecord.Window> windows = new java.util.ArrayList<>();
            for (ProvisioningFile.Window w : list(r.schedule())) {
                windows.add(new RuleRecord.Window(value("weekday", DayOfWeek.class, w.weekday()), time("start", w.start()),
                        time("end", w.end())));
            }
            List<RuleRecord.Exception> exceptions = new java.util.ArrayList<>();
            for (ProvisioningFile.ScheduleException e : list(r.exceptions())) {
                exceptions.add(RuleRepository.exception(e.date(), time("start", e.start()), time("end", e.end()), e.action(),
                        e.reason()));
            }
            writes.rules().upsert(agencyId, new RuleRepository.Rule(orderId, r.name(), r.kind(),
                    r.zone() == null ? 0 : zone(agencyId, r.zone()), r.victimDevice() == null ? 0 : device(r.victimDevice()),
                    r.distanceM(), r.warnDistanceM(), r.graceM(), r.openFixes(), r.openDwellS(), r.closeFixes(),
                    r.closeDwellS(), r.active() == null || r.active(), windows, exceptions));
        }

        /** A value of a fixed vocabulary, or a refusal listing the allowed values. */
        private static <E extends Enum<E>> E value(String field, Class<E> type, String text) {
            try {
                return Enum.valueOf(type, text);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("'" + field + "' must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + text + "'");
            }
        }

        private static LocalTime time(String field, String text) {
            try {
                return LocalTime.parse(text);
            } catch (java.time.format.DateTimeParseException | NullPointerException e) {
                throw new IllegalArgumentException("'" + field + "' must be a local time such as 22:00, was '" + text + "'");
            }
        }

        private long agency(String code) throws SQLException {
            Long known = agencyIds.get(code);
            if (known == null) {
                known = lookup("unknown agency " + code, "select id from agencies where code = ?", code);
                agencyIds.put(code, known);
            }
            return known;
        }

        private long zone(long agencyId, String name) throws SQLException {
            String key = agencyId + "\u0000" + name;
            Long known = zoneIds.get(key);
            if (known == null) {
                known = writes.zones().idByName(agencyId, name);
                if (known == 0) {
                    throw new IllegalArgumentException("unknown zone " + name);
                }
                zoneIds.put(key, known);
            }
            return known;
        }

        private long subject(ProvisioningFile.SubjectRef ref) throws SQLException {
            if (ref == null) {
                throw new IllegalArgumentException("subject is missing");
            }
            String key = ref.agency() + "\u0000" + ref.externalCaseId();
            Long known = subjectIds.get(key);
            if (known == null) {
                known = lookup("unknown subject " + ref.agency() + " " + ref.externalCaseId(),
                        "select s.id from subjects s join agencies a on a.id = s.agency_id "
                                + "where a.code = ? and s.external_case_id = ?", ref.agency(), ref.externalCaseId());
                subjectIds.put(key, known);
            }
            return known;
        }

        private long device(ProvisioningFile.DeviceRef ref) throws SQLException {
            if (ref == null) {
                throw new IllegalArgumentException("device is missing");
            }
            String key = ref.protocol() + "\u0000" + ref.number();
            Long known = deviceIds.get(key);
            if (known == null) {
                known = lookup("unknown device " + ref.protocol() + " " + ref.number(),
                        "select id from devices where protocol = ? and device_number = ?", ref.protocol(), ref.number());
                deviceIds.put(key, known);
            }
            return known;
        }

        /** The id a query finds, or an error saying what is missing. */
        private long lookup(String missing, String sql, Object... args) throws SQLException {
            long id = statements.first(0, sql, args);
            if (id == 0) {
                throw new IllegalArgumentException(missing);
            }
            return id;
        }

        /** The zone's GeoJSON as text (null when absent: the repository refuses it). */
        private static String json(ProvisioningFile.Zone z) {
            if (z.geojson() == null || z.geojson().isNull()) {
                return null;
            }
            try {
                return JSON.writeValueAsString(z.geojson());
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        private static <T> List<T> list(List<T> l) {
            return l == null ? List.of() : l;
        }
    }
}
