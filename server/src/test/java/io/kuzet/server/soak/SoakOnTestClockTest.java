package io.kuzet.server.soak;

import io.kuzet.server.testing.Gt06Wire;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thirty simulated days on a test clock, with the whole server (embedded PostgreSQL, storage, real sockets): journal
 * retention of 7 days and positions retention run each simulated night, restarts on day 10 and day 20. Devices that
 * fall silent for longer than the journal keeps come back and are acked and stored (not locked out), violations that
 * span a restart keep their alert id (one RAISED, one CLEARED), every acked fix is stored exactly once inside the
 * positions-retention window, old journal files go, and the heap after a GC stays flat across the simulated weeks.
 */
class SoakOnTestClockTest {
    private static final Logger LOG = LoggerFactory.getLogger(SoakOnTestClockTest.class);
    private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final byte[] KEY = HexFormat.of().parseHex(KEY_HEX);
    private static final long FIRST_KUZET = 300_001;
    private static final long GT06_IMEI = 868120145233604L;
    private static final long DAY_MS = 86_400_000L;
    private static final int DAYS = 30;
    private static final int JOURNAL_RETENTION_DAYS = 7;
    private static final int POSITIONS_RETENTION_DAYS = 10;
    private static final double ZONE_LAT = 43.2567;
    private static final double ZONE_LON = 76.9286;
    private static final double AWAY_LAT = 43.30;
    private static final double AWAY_LON = 76.90;

    /** Kuzet device index 1 is silent on days 2..12 (over the restart on day 10); index 2 on days 12..22 (over day 20). */
    private static final int[][] SILENT = {{1, 2, 12}, {2, 12, 22}};

    @TempDir
    Path dataDir;

    @Test
    void thirtySimulatedDaysWithRetentionAndRestartsLockNoDeviceOutAndRaiseNoAlertTwice() throws Exception {
        soak(3, 6);
    }

    @Test
    @Tag("slow")
    void thirtySimulatedDaysOfAFleetReportingEveryHalfHour() throws Exception {
        soak(40, 48);
    }

    private void soak(int kuzetDevices, int fixesPerDay) throws Exception {
        long wallStart = System.nanoTime();
        // the simulation starts today, so the wall-clock housekeeping of the server has nothing to delete
        long t0 = Instant.now().truncatedTo(ChronoUnit.DAYS).toEpochMilli();
        TestClock clock = new TestClock(t0);
        ServerConfig config = config(kuzetDevices);
        Fleet fleet = new Fleet(kuzetDevices);
        List<Long> heap = new ArrayList<>();
        Map<Long, String> alertTransitions = new HashMap<>();   // alert journal index → alert id/phase/type
        int journalFilesDeleted = 0;
        KuzetServerMain.Running running = start(config, clock);
        try {
            for (int day = 0; day < DAYS; day++) {
                if (day == 10 || day == 20) {
                    readAlertJournal(running, alertTransitions);
                    running.close();
                    running = start(config, clock);
                }
                long dayStart = t0 + day * DAY_MS;
                for (int d = 0; d < kuzetDevices; d++) {
                    if (!silent(d, day)) {
                        fleet.kuzetDay(running, clock, d, dayStart, fixesPerDay, inZone(d, day));
                    }
                }
                fleet.gt06Day(running, clock, dayStart, fixesPerDay, day >= 19 && day <= 20);
                clock.set(dayStart + DAY_MS - 1_000);
                running.server().journal().appendTick(clock.getAsLong());
                KuzetServerMain.Running r = running;
                long keptFrom = keptFrom(clock.getAsLong());
                await().atMost(Duration.ofSeconds(60)).until(() -> r.server().core().lagEntries() == 0
                        && positions(r.database().dataSource(), keptFrom) == fleet.ackedSince(keptFrom));
                readAlertJournal(running, alertTransitions);
                running.retention().runPositions(Instant.ofEpochMilli(clock.getAsLong()));
                journalFilesDeleted += running.retention().runJournals(clock.getAsLong());
                if (day % 7 == 0 || day == DAYS - 1) {
                    heap.add(usedHeapAfterGc());
                }
            }

            long now = clock.getAsLong();
            long cutoff = now - POSITIONS_RETENTION_DAYS * DAY_MS;
            DataSource db = running.database().dataSource();
            long[] stored = positionCounts(db, cutoff, keptFrom(now));
            long wallS = (System.nanoTime() - wallStart) / 1_000_000_000L;
            LOG.info("soak: {} days, {} Kuzet + 1 GT06 devices, {} fixes acked ({} inside the positions window), "
                    + "{} stored inside it, {} alert transitions journaled ({}), {} journal files deleted, heap after GC per week (MiB) {}, wall time {} s",
                    DAYS, kuzetDevices, fleet.ackedCount, fleet.ackedSince(cutoff), stored[0], alertTransitions.size(),
                    alertTransitions.values().stream().collect(java.util.stream.Collectors.groupingBy(
                            t -> t.substring(t.indexOf('/') + 1), java.util.TreeMap::new, java.util.stream.Collectors.counting())),
                    journalFilesDeleted,
                    heap.stream().map(b -> b / (1024 * 1024)).toList(), wallS);

            assertEquals(fleet.ackedSince(cutoff), stored[0], "every acked fix inside the positions window is stored");
            assertEquals(stored[0], stored[1], "no fix is stored twice");
            assertEquals(0, stored[2], "positions of the days before the retention cutoff are gone");

            assertEquals(alertTransitions.size(), alertTransitions.values().stream().distinct().count(),
                    "no (alert id, phase) twice in the alerts journal: " + alertTransitions.values());
            // device 0 violated across the restart on day 10, the GT06 unit across the one on day 20: one alert each,
            // raised once, and closed later under the same id (the open alert was not lost at the restart)
            for (long deviceNumber : new long[] {FIRST_KUZET, GT06_IMEI}) {
                List<String> states = exclusionAlerts(db, deviceNumber);
                assertEquals(List.of("CLEARED"), states, "exclusion alerts of device " + deviceNumber);
            }
            assertEquals(2, alertTransitions.values().stream()
                            .filter(t -> t.endsWith("RAISED/" + AlertType.EXCLUSION_VIOLATION)).count(),
                    "only the two violations raised exclusion alerts: " + alertTransitions.values());

            assertTrue(journalFilesDeleted >= DAYS - JOURNAL_RETENTION_DAYS - 2,
                    "the journal files of the old days were deleted: " + journalFilesDeleted);
            // every transition journaled is in the alerts table in its latest state: an alert still open is OPEN there
            Map<Long, String> stateInTable = alertStates(db);
            for (String transition : alertTransitions.values()) {
                long id = Long.parseLong(transition.substring(0, transition.indexOf('/')));
                boolean cleared = alertTransitions.containsValue(transition.replace("/RAISED/", "/CLEARED/"))
                        || transition.contains("/CLEARED/");
                assertEquals(cleared ? "CLEARED" : "OPEN", stateInTable.get(id), "alert " + transition + " in the alerts table");
            }
            assertEquals(List.of(), openTwice(db), "no condition has two alerts open (one lost by the core, raised again)");
            try (Stream<Path> files = Files.list(dataDir.resolve("data").resolve("journal"))) {
                long oldestKept = LocalDate.ofEpochDay(now / DAY_MS).minusDays(JOURNAL_RETENTION_DAYS).toEpochDay();
                List<String> old = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("F.cq4"))
                        .filter(n -> LocalDate.parse(n.substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                                .toEpochDay() < oldestKept).toList();
                assertEquals(List.of(), old, "journal files older than the retention are deleted");
            }
            try (Stream<Path> files = Files.list(dataDir.resolve("data").resolve("journal"))) {
                assertTrue(files.filter(p -> p.toString().endsWith("F.cq4")).count() <= JOURNAL_RETENTION_DAYS + 1,
                        "at most the retained days of journal files remain");
            }

            long baseline = heap.get(0);
            long last = heap.get(heap.size() - 1);
            // generous: under -ea Chronicle keeps every thread-local it creates (orphan tracking), a few MiB per month here
            assertTrue(last <= baseline + Math.max(32L * 1024 * 1024, baseline / 2), "heap after GC grew from " + baseline + " to " + last
                    + " bytes over the simulated days: " + heap);
        } finally {
            running.close();
        }
    }

    private static boolean silent(int device, int day) {
        for (int[] s : SILENT) {
            if (s[0] == device && day >= s[1] && day <= s[2]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kuzet device 0 enters the exclusion zone on the evening of day 9, stays inside all of day 10 (the restart is at its
     * start) and leaves on the morning of day 11.
     */
    private static boolean inZone(int device, int day) {
        return device == 0 && (day == 9 || day == 10);
    }

    /** The start of the day of the positions-retention cutoff: everything before it is gone after a retention run. */
    private static long keptFrom(long nowMs) {
        long cutoff = nowMs - POSITIONS_RETENTION_DAYS * DAY_MS;
        return cutoff - Math.floorMod(cutoff, DAY_MS);
    }

    private KuzetServerMain.Running start(ServerConfig config, TestClock clock) throws Exception {
        return KuzetServerMain.start(config, new KuzetServer.Options(clock, false).withJournalFileClock(clock));
    }

    private static void readAlertJournal(KuzetServerMain.Running running, Map<Long, String> into) {
        running.server().alertJournal().readAll((alert, index) -> into.put(index, alert.alertId() + "/" + alert.phase() + "/" + alert.type()));
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The devices as seen from outside: their sequences and every fix the server acked. */
    private static final class Fleet {
        final long[] lastAcked;
        long[] acked = new long[4096];   // fix times of acked fixes (primitive: the test's own memory stays small)
        int ackedCount;
        int gt06Serial;

        Fleet(int kuzetDevices) {
            lastAcked = new long[kuzetDevices];
        }

        long ackedSince(long fromMs) {
            long n = 0;
            for (int i = 0; i < ackedCount; i++) {
                if (acked[i] >= fromMs) {
                    n++;
                }
            }
            return n;
        }

        void acked(long fixTimeMs) {
            if (ackedCount == acked.length) {
                acked = java.util.Arrays.copyOf(acked, acked.length * 2);
            }
            acked[ackedCount++] = fixTimeMs;
        }

        void kuzetDay(KuzetServerMain.Running running, TestClock clock, int d, long dayStart, int fixes, boolean zone)
                throws Exception {
            long number = FIRST_KUZET + d;
            try (KuzetTestClient device = new KuzetTestClient(running.server().port(Protocol.KUZET))) {
                clock.set(dayStart + 1_800_000L + d * 1_000L);
                KuzetTestClient.Reply login = device.login(number, KEY);
                assertEquals(0, login.status, "device " + number + " logs in");
                assertEquals(lastAcked[d], login.value, "device " + number + ": the server still knows its last sequence");
                device.startSequenceAt(lastAcked[d] + 1);
                long step = (DAY_MS - 7_200_000L) / fixes;   // the day's fixes end before the evening burst
                boolean stayInside = d == 0 && zone && lastInZone;
                if (d == 0 && lastInZone && !zone) {   // leaves the zone first thing in the morning
                    for (int i = 0; i < 5; i++) {
                        send(device, clock, number, d, dayStart + 60_000L + i * 30_000L, AWAY_LAT, AWAY_LON);
                    }
                }
                for (int i = 0; i < fixes; i++) {
                    send(device, clock, number, d, dayStart + 1_800_000L + i * step + d * 1_000L,
                            stayInside ? ZONE_LAT : AWAY_LAT, stayInside ? ZONE_LON : AWAY_LON);
                }
                if (zone && !stayInside) {   // enters the zone in the evening, 30 s apart (opens after 3 fixes / 60 s)
                    for (int i = 0; i < 5; i++) {
                        send(device, clock, number, d, dayStart + 82_800_000L + i * 30_000L, ZONE_LAT, ZONE_LON);
                    }
                }
                lastInZone = d == 0 ? zone : lastInZone;
            }
        }

        boolean lastInZone;

        private void send(KuzetTestClient device, TestClock clock, long number, int d, long fixTime, double lat, double lon)
                throws Exception {
            clock.set(fixTime + 2_000L);
            long seq = device.sendPositions(Fixes.fixAt(fixTime, lat, lon, 8));
            KuzetTestClient.Reply ack = device.read();
            assertEquals(KuzetMessageType.ACK, ack.type, "device " + number + " at " + Instant.ofEpochMilli(fixTime) + ": " + ack);
            assertEquals(seq, ack.value, "device " + number + " acked in order");
            lastAcked[d] = seq;
            acked(fixTime);
        }

        /** The GT06 unit reports every day; enters the zone on the evening of day 19, inside on day 20 (restart), leaves on day 21. */
        void gt06Day(KuzetServerMain.Running running, TestClock clock, long dayStart, int fixes, boolean zone) throws Exception {
            try (Socket socket = new Socket("127.0.0.1", running.server().port(Protocol.GT06))) {
                socket.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                clock.set(dayStart + 1_700_000L);
                ByteBuf login = Unpooled.buffer();
                Gt06Encoder.writeLogin(login, GT06_IMEI, nextSerial());
                socket.getOutputStream().write(Gt06Wire.bytes(login));
                assertEquals(0x01, readReply(in)[3], "GT06 login acked");
                long step = (DAY_MS - 7_200_000L) / fixes;   // the day's fixes end before the evening burst
                boolean stayInside = zone && gt06InZone;
                if (gt06InZone && !zone) {
                    for (int i = 0; i < 5; i++) {
                        gt06Fix(socket, in, clock, dayStart + 1_700_000L - 300_000L + i * 30_000L, AWAY_LAT, AWAY_LON);
                    }
                }
                for (int i = 0; i < fixes; i++) {
                    gt06Fix(socket, in, clock, dayStart + 1_700_000L + i * step,
                            stayInside ? ZONE_LAT : AWAY_LAT, stayInside ? ZONE_LON : AWAY_LON);
                }
                if (zone && !stayInside) {
                    for (int i = 0; i < 5; i++) {
                        gt06Fix(socket, in, clock, dayStart + 82_700_000L + i * 30_000L, ZONE_LAT, ZONE_LON);
                    }
                }
                gt06InZone = zone;
            }
        }

        boolean gt06InZone;

        private void gt06Fix(Socket socket, DataInputStream in, TestClock clock, long fixTime, double lat, double lon)
                throws Exception {
            clock.set(fixTime + 2_000L);
            DeviceMessage msg = Fixes.fixAt(fixTime, lat, lon, 10);
            ByteBuf location = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(location, msg.fix(0), nextSerial());
            socket.getOutputStream().write(Gt06Wire.bytes(location));
            assertEquals(0x12, readReply(in)[3], "GT06 location at " + Instant.ofEpochMilli(fixTime) + " acked");
            acked(fixTime);
        }

        private int nextSerial() {
            gt06Serial = (gt06Serial + 1) & 0xFFFF;
            return gt06Serial;
        }
    }

    /** The next answer, past online commands adaptive supervision sends on its own (pursuit: TIMER). */
    private static byte[] readReply(DataInputStream data) throws Exception {
        return io.kuzet.server.testing.Gt06Wire.readAnswer(data);
    }

    private static long positions(DataSource db, long fromMs) throws Exception {
        return positionCounts(db, fromMs, fromMs)[0];
    }

    /**
     * {rows at or after fromMs, distinct (device, fix time) among them, rows before goneBeforeMs}: retention drops the
     * daily partitions that end before its cutoff and deletes the rows before the cutoff from the default partition.
     */
    private static long[] positionCounts(DataSource db, long fromMs, long goneBeforeMs) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) filter (where fix_time >= ?), "
                     + "count(distinct (device_id, fix_time)) filter (where fix_time >= ?), "
                     + "count(*) filter (where fix_time < ?) from positions")) {
            Timestamp from = Timestamp.from(Instant.ofEpochMilli(fromMs));
            s.setTimestamp(1, from);
            s.setTimestamp(2, from);
            s.setTimestamp(3, Timestamp.from(Instant.ofEpochMilli(goneBeforeMs)));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    private static List<String> exclusionAlerts(DataSource db, long deviceNumber) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select a.state from alerts a join devices d on d.id = a.device_id "
                     + "where a.type = ? and d.device_number = ? order by a.id")) {
            s.setString(1, AlertType.EXCLUSION_VIOLATION.name());
            s.setLong(2, deviceNumber);
            List<String> states = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
            return states;
        }
    }

    /** Conditions (device, type, rule) with more than one alert open: an open alert lost by the core and raised again. */
    private static List<String> openTwice(DataSource db) throws Exception {
        List<String> twice = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select device_id, type, rule_id, string_agg(id::text, ',') from alerts "
                     + "where state = 'OPEN' group by device_id, type, rule_id having count(*) > 1");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                twice.add("device " + rs.getLong(1) + " " + rs.getString(2) + " rule " + rs.getLong(3) + ": " + rs.getString(4));
            }
        }
        return twice;
    }

    private static Map<Long, String> alertStates(DataSource db) throws Exception {
        Map<Long, String> states = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select id, state from alerts");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                states.put(rs.getLong(1), rs.getString(2));
            }
        }
        return states;
    }

    private ServerConfig config(int kuzetDevices) throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.resolve("data").toString();
        config.server.bindAddress = "127.0.0.1";
        config.server.provisionFile = provisioning(kuzetDevices).toString();
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.journal.retentionDays = JOURNAL_RETENTION_DAYS;
        config.storage.positionsRetentionDays = POSITIONS_RETENTION_DAYS;
        return config.validate();
    }

    /** A fleet of Kuzet bracelets and one GT06 unit, each on its own subject with an exclusion zone rule. */
    private Path provisioning(int kuzetDevices) throws Exception {
        StringBuilder y = new StringBuilder("""
                agencies:
                  - {code: SOAK, name: Soak agency, region: Almaty}
                zones:
                  - agency: SOAK
                    name: Exclusion
                    kind: EXCLUSION_AREA
                    geojson:
                      type: Feature
                      properties: {radius_m: 300}
                      geometry: {type: Point, coordinates: [76.9286, 43.2567]}
                """);
        StringBuilder subjects = new StringBuilder("subjects:\n");
        StringBuilder devices = new StringBuilder("devices:\n");
        StringBuilder orders = new StringBuilder("orders:\n");
        StringBuilder assignments = new StringBuilder("assignments:\n");
        for (int d = 0; d <= kuzetDevices; d++) {
            String caseId = "SOAK-" + d;
            boolean gt06 = d == kuzetDevices;
            String device = gt06 ? "{protocol: gt06, number: " + GT06_IMEI + "}" : "{protocol: kuzet, number: " + (FIRST_KUZET + d) + "}";
            subjects.append("  - {agency: SOAK, externalCaseId: ").append(caseId).append(", displayName: Subject ").append(d).append("}\n");
            devices.append(gt06 ? "  - {protocol: gt06, number: " + GT06_IMEI + ", role: BRACELET}\n"
                    : "  - {protocol: kuzet, number: " + (FIRST_KUZET + d) + ", secretKey: " + KEY_HEX + ", role: BRACELET}\n");
            orders.append("""
                      - legalReference: "Soak %1$s"
                        subject: {agency: SOAK, externalCaseId: %1$s}
                        kind: PAROLE
                        startsAt: 2020-01-01T00:00:00Z
                        timeZone: Asia/Almaty
                        riskLevel: HIGH
                        rules:
                          - {name: Keep away, kind: EXCLUSION, zone: Exclusion, graceM: 25, openFixes: 3, openDwellS: 60}
                    """.formatted(caseId));
            assignments.append("  - {device: ").append(device).append(", subject: {agency: SOAK, externalCaseId: ")
                    .append(caseId).append("}, assignedAt: 2020-01-01T00:00:00Z}\n");
        }
        y.append(subjects).append(devices).append(orders).append(assignments);
        Path file = dataDir.resolve("soak-provisioning.yaml");
        Files.writeString(file, y);
        return file;
    }
}
