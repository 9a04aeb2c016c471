package io.kuzet.server.config;

import io.kuzet.server.registry.SourceNetworks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the server can be configured with: one YAML file plus environment-variable overrides
 * (see {@link ConfigLoader}). Field names are the YAML keys; every field has the default documented in
 * {@code docs/operations.md}. Mutable only while loading; treat an instance as read-only once {@link #validate()} passed.
 */
public final class ServerConfig {
    public Server server = new Server();
    public Ports ports = new Ports();
    public Tls tls = new Tls();
    public Journal journal = new Journal();
    public Kafka kafka = new Kafka();
    public Limits limits = new Limits();
    public Core core = new Core();
    public Database database = new Database();
    public Storage storage = new Storage();
    public Live live = new Live();
    public Api api = new Api();
    public Http http = new Http();
    public DeviceTrust deviceTrust = new DeviceTrust();
    public Commands commands = new Commands();

    public static final class Server {
        public String dataDir = "./kuzet-data";
        public String bindAddress = "0.0.0.0";
        /** YAML provisioning file imported (idempotently) at start; empty = none. */
        public String provisionFile = "";
        /**
         * Event-loop threads of the device ports (they decode, journal and ack); 0 = one per available core. More
         * threads than cores spin against each other on the journal's append lock (docs/performance.md).
         */
        public int ioThreads = 0;
    }

    /** Listening ports; 0 picks a free port (tests), -1 disables the port. */
    public static final class Ports {
        public int kuzet = 5100;
        public int kuzetTls = 5101;
        public int gt06 = 5023;
        public int watch = 5093;
        public int http = 8080;
        /**
         * Device ports read a PROXY protocol header (v1 or v2) from the balancers in {@link #proxyProtocolFrom}, and use
         * the device address it carries for device trust, per-address limits and logs (docs/device-trust.md).
         */
        public boolean proxyProtocol = false;
        /**
         * Balancer addresses, comma-separated CIDR blocks: a connection from one must start with a PROXY header, a
         * header from any other address is refused. Required when {@link #proxyProtocol} is on.
         */
        public String proxyProtocolFrom = "";

        /** {@link #proxyProtocolFrom} parsed; throws {@link IllegalArgumentException} naming a bad block. */
        public SourceNetworks proxyProtocolBalancers() {
            return SourceNetworks.parse(java.util.Arrays.stream(proxyProtocolFrom.split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
    }

    public static final class Tls {
        /** PEM certificate chain for the Kuzet TLS port; the port stays closed when empty. */
        public String certFile = "";
        /** PEM PKCS#8 private key for {@link #certFile}. */
        public String keyFile = "";
    }

    public enum Durability { PROCESS, FSYNC }

    /** Where the ingest journal lives: the embedded Chronicle Queue (single node) or a replicated Kafka topic (docs/scale-out.md). */
    public enum JournalKind { CHRONICLE, KAFKA }

    public static final class Journal {
        /** chronicle: the embedded journal in the data directory; kafka: the topic named by {@code kafka.topic}. */
        public JournalKind kind = JournalKind.CHRONICLE;
        /** process: ack after the append to the memory-mapped journal; fsync: ack after it is forced to disk. */
        public Durability durability = Durability.PROCESS;
        /** Group-commit period in fsync mode. */
        public int fsyncIntervalMs = 2;
        /** Closed daily journal files older than this are deleted (after storage has consumed them). */
        public int retentionDays = 14;
    }

    /** The Kafka journal ({@code journal.kind=kafka}); docs/scale-out.md. */
    public static final class Kafka {
        /** Broker addresses, host:port,... (required in kafka mode). */
        public String bootstrapServers = "";
        /** The ingest topic; records are keyed by device, so one device's records stay in order in one partition. */
        public String topic = "kuzet.ingest";
        /** Partitions of the ingest topic when Kuzet creates it; never change it on a running topic (devices would move). */
        public int partitions = 12;
        /** Replication factor when Kuzet creates the topic: 3 in production (1 only for a single test broker). */
        public int replicationFactor = 3;
        /** The topic's min.insync.replicas when Kuzet creates it: 2 in production, so an acked fix is on two brokers. */
        public int minInsyncReplicas = 2;
        /** Producer linger: how long a batch waits for more records. Small, because the device waits for its ack. */
        public int lingerMs = 1;
        /** Producer delivery timeout: an append not acked within it stops the node (fail-stop, like a failed fsync). */
        public int deliveryTimeoutMs = 120_000;
        /**
         * The alerts topic: one record per alert transition, keyed and partitioned like the device's ingest records
         * (docs/scale-out.md). Every node's live hub reads all of it; storage reads it as a consumer group.
         */
        public String alertsTopic = "kuzet.alerts";
        /**
         * Consumer group of the storage writers: the nodes split the ingest topic's partitions (and, in the group
         * {@code <storageGroup>-alerts}, the alerts topic's) and take over a lost node's. Positions always come from
         * the database's {@code kafka_offsets}, never from the group's committed offsets.
         */
        public String storageGroup = "kuzet-storage";
        /**
         * The evaluation core's per-partition state snapshots (a compacted topic, one partition per ingest partition):
         * what a node that takes a partition over restores before replaying the partition's tail.
         */
        public String snapshotsTopic = "kuzet.core-snapshots";
        /** The consumer group the evaluation cores of all nodes join: each ingest partition is evaluated by one node. */
        public String evaluationGroup = "kuzet-evaluation";
        /**
         * How long a node may stay silent before the group hands its partitions to the others (the broker accepts 6 s
         * to 5 min by default): the main part of the time from a node's loss to alerts flowing again.
         */
        public int evaluationSessionTimeoutMs = 6_000;
        /** Heartbeat of the evaluation consumer; a third of the session timeout or less. */
        public int evaluationHeartbeatMs = 1_000;
        /**
         * A login waits until this node has read the device's partition up to its end as of the login, so that what
         * other nodes stored for the device is known (docs/scale-out.md, "The reconnect window"); refused after this.
         */
        public int loginCatchUpMs = 5_000;
    }

    public static final class Limits {
        /** Largest GT06 / Watch frame accepted; the Kuzet protocol's own limit is fixed at 4096 bytes by its spec. */
        public int maxFrameBytes = 2048;
        public int idleTimeoutS = 600;
        public int handshakeTimeoutS = 10;
        public int maxConnectionsPerAddress = 200;
        /** Journal entries not yet evaluated at which device sockets stop being read. */
        public long backpressureHighWatermark = 1_000_000;
        /** ... and at which reading resumes. */
        public long backpressureLowWatermark = 500_000;
        /** A fix dated more than this ahead of its receive time is a clock fault: journaled as evidence, never evaluated. */
        public int maxFixAheadS = 300;
        /** A fix older than this at receipt is a clock fault (store-and-forward older than this is not evaluated either). */
        public int maxFixAgeDays = 365;
    }

    /** What a second login of a device does while its first session is still connected (docs/device-trust.md). */
    public enum DuplicateSessionPolicy { REPLACE, REFUSE }

    /** Device-side trust settings (docs/device-trust.md). */
    public static final class DeviceTrust {
        /** Kuzet: refuse a LOGIN that does not ask for per-frame authentication (docs/protocol.md §3.2). */
        public boolean kuzetRequireFrameMac = true;
        /** Kuzet logins prove the device key: a new one is most likely the device itself after a silent disconnect. */
        public DuplicateSessionPolicy duplicateSessionKuzet = DuplicateSessionPolicy.REPLACE;
        /** GT06 and Watch logins prove nothing: keep the connected device, refuse the newcomer. */
        public DuplicateSessionPolicy duplicateSessionGt06 = DuplicateSessionPolicy.REFUSE;
        public DuplicateSessionPolicy duplicateSessionWatch = DuplicateSessionPolicy.REFUSE;
    }

    public static final class Core {
        /** Absence limit when the order does not set one. */
        public int defaultNoCommunicationLimitS = 900;
        /** No-GPS-fix limit (device communicates but reports no valid fix) when the order does not set one. */
        public int defaultNoFixLimitS = 900;
        /**
         * An upload delay (receive time minus fix time) above this is stated in alert explanations ("uploaded 7 min
         * after the fix"). It does not make a fix late: late means older than the device's newest fix.
         */
        public int lateFixThresholdS = 120;
        /** A curfew or timed rule whose window began with no fix since says "status unknown" after this. */
        public int scheduleUnknownAfterS = 900;
        /**
         * Accuracy in metres assumed for a valid fix with neither a reported accuracy nor anything to estimate it
         * from, per device model (the registry's protocol), e.g. {@code "kuzet=50,gt06=50,watch=50"}; others: 50.
         */
        public String accuracyDefaults = "kuzet=50,gt06=50,watch=50";
        /** Battery percent at or below which BATTERY_LOW is raised from heartbeats. */
        public int batteryLowPercent = 20;
        /** Battery percent at or below which BATTERY_CRITICAL is raised from heartbeats. */
        public int batteryCriticalPercent = 5;
        /** CLOCK_FAULT is raised after this many clock-faulty fixes in a row ({@link Limits#maxFixAheadS}, maxFixAgeDays) ... */
        public int clockFaultAlertFixes = 3;
        /** ... or when the clock has been faulty this long (receive time, no good fix in between). */
        public int clockFaultAlertS = 300;
        /** Period of the clock tick records that drive absence timers. */
        public int tickIntervalMs = 1000;
        /** Journal time between snapshots of the core's state (restart replays only what follows the last); 0 = none. */
        public int snapshotIntervalS = 300;
        /** Snapshot files kept; older ones are deleted after a new one is written. */
        public int snapshotsKept = 3;
        // Adaptive supervision (docs/operations.md): commands the core asks for; sent only when the command service is
        // part of the server. Decisions are in journal time, so a replay asks again with the same de-duplication keys.
        /** Reporting interval commanded when a location violation opens ("pursuit"); 0 = no pursuit. */
        public int pursuitIntervalS = 15;
        /** Pursuit lasts until the last open violation closes plus this, then the order's normal interval returns. */
        public int pursuitHoldS = 120;
        /**
         * An approach warning (exclusion zone or victim) also starts fast reporting for this long, so a violation that
         * follows is seen within one pursuit interval; it ends then unless a violation opened; 0 = not on warnings.
         */
        public int approachPursuitS = 600;
        /** Vibration length for a warning to the subject (approach, proximity, curfew); 0 = no warnings sent. */
        public int warningVibrateMs = 3000;
        /** Exclusion zones without their own warning distance warn this far outside the zone; 0 = only per rule. */
        public double exclusionWarningMetres = 0;
        /** Curfews warn (CURFEW_WARNING) a subject still away from home this long before the window starts; 0 = never (default). */
        public int curfewWarningS = 0;
        /** Vibration length of the reminder to charge on BATTERY_LOW / BATTERY_CRITICAL; 0 = no reminder. */
        public int chargeReminderVibrateMs = 1000;
        /** How long a supervision command may wait for a disconnected device before it expires. */
        public int commandTtlS = 900;
    }

    public static final class Database {
        /** JDBC URL; empty = embedded PostgreSQL under dataDir/postgres. */
        public String url = "";
        public String user = "";
        public String password = "";
        public int embeddedPort = 0;
        public int poolSize = 8;
        /** Start-up timeout of the embedded database, crash recovery included (see docs/operations.md). */
        public int embeddedStartTimeoutS = 120;
        /** PostgreSQL settings of the embedded database over the tuned defaults: {@code name=value,name=value}. */
        public String embeddedSettings = "";
    }

    public static final class Storage {
        public int positionsRetentionDays = 365;
        public int compressAfterDays = 7;
        /**
         * Most rows per storage batch; batches are smaller when the journal holds fewer. 50,000 took a sixth off
         * PostgreSQL's CPU per fix against 10,000 when storage has a backlog (docs/performance.md).
         */
        public int batchMaxRows = 50_000;
        /**
         * How long fixes may wait in the journal for a fuller storage batch after the journal ran dry (alerts never
         * wait): 1 s let 50,000 fixes/s be stored in batches of ~50,000 instead of ~2,500 (docs/performance.md).
         */
        public int lingerMs = 1000;
        /** The storage writer commits without waiting for PostgreSQL's WAL flush (the journal rewrites a lost commit). */
        public boolean asyncCommit = true;
    }

    /** The device command outbox (docs/commands.md). */
    public static final class Commands {
        /** How long an operator command may wait for its device (a request may ask for less or more). */
        public int defaultTimeToLiveS = 3600;
        /** How often commands past their time to live are marked EXPIRED. */
        public int expiryCheckMs = 1000;
    }

    public static final class Live {
        /**
         * Bearer token required by the live alert stream, at least 128 bits; empty = a random token generated once into
         * {@code <dataDir>/secrets/live-token} (owner-only) and reused on later starts.
         */
        public String token = "";
    }

    public static final class Api {
        /**
         * Password of the bootstrap {@code admin} user created when no user exists; empty = a generated one-time password
         * written to {@code <dataDir>/secrets/admin-password} (owner-only) that must be changed at the first login.
         */
        public String adminPassword = "";
        /** Map tile URL template for the console (e.g. an internal tile server); empty = no tiles, zones and tracks still drawn. */
        public String tileUrl = "";
        public String tileAttribution = "";
        /**
         * Alerts at or above this severity stay in the operator's queue until a person resolves them, also after they
         * cleared by themselves; below it a cleared alert leaves the queue (LOW, MEDIUM, HIGH or CRITICAL).
         */
        public String reviewSeverity = "MEDIUM";
    }

    /** The HTTP port (operator API, console, live stream, ops endpoints); see docs/operations.md. */
    public static final class Http {
        /** PEM certificate chain; when set (with {@link #keyFile}) the HTTP port speaks HTTPS only. */
        public String certFile = "";
        /** PEM PKCS#8 private key for {@link #certFile}. */
        public String keyFile = "";
        /** Event-loop threads of the HTTP port (separate from the device ports' threads). */
        public int ioThreads = 1;
        /** Simultaneous HTTP connections; more are closed at once. */
        public int maxConnections = 256;
        /** A connection with no traffic either way for this long is closed (live streams are pinged). */
        public int idleTimeoutS = 120;
        /** Largest request (headers excluded) aggregated per connection; zone uploads are the large ones. */
        public int maxRequestBytes = 512 * 1024;
        /** How often each live stream's token is checked again against the token store. */
        public int liveRevalidateS = 5;
        /**
         * Live-stream messages a subscriber may have waiting unsent (bytes) while it falls behind, e.g. a busy console
         * during a mass event; a subscriber further behind is disconnected (the console reconnects and reloads its
         * queue), so a dead client cannot hold the server's memory.
         */
        public int liveBacklogBytes = 4 * 1024 * 1024;
        /** Bearer token required on /metrics and /health/*; empty = those endpoints are public. */
        public String opsToken = "";
    }

    public Path dataDir() {
        return Path.of(server.dataDir);
    }

    /** Checks every value and throws one {@link ConfigException} listing all problems. */
    public ServerConfig validate() {
        List<String> problems = new ArrayList<>();
        checkPort(problems, "ports.kuzet", ports.kuzet);
        checkPort(problems, "ports.kuzetTls", ports.kuzetTls);
        checkPort(problems, "ports.gt06", ports.gt06);
        checkPort(problems, "ports.watch", ports.watch);
        checkPort(problems, "ports.http", ports.http);
        if (ports.proxyProtocol) {
            try {
                if (ports.proxyProtocolBalancers().isAny()) {
                    problems.add("ports.proxyProtocolFrom must list the balancers' addresses when ports.proxyProtocol is on");
                }
            } catch (IllegalArgumentException e) {
                problems.add("ports.proxyProtocolFrom: " + e.getMessage());
            }
        }
        if (server.dataDir == null || server.dataDir.isBlank()) {
            problems.add("server.dataDir must not be empty");
        }
        if (tls.certFile.isBlank() != tls.keyFile.isBlank()) {
            problems.add("tls.certFile and tls.keyFile must be given together");
        }
        if (http.certFile.isBlank() != http.keyFile.isBlank()) {
            problems.add("http.certFile and http.keyFile must be given together");
        }
        positive(problems, "http.ioThreads", http.ioThreads);
        if (server.ioThreads < 0) {
            problems.add("server.ioThreads must be 0 (one per core) or more, was " + server.ioThreads);
        }
        positive(problems, "http.maxConnections", http.maxConnections);
        positive(problems, "http.idleTimeoutS", http.idleTimeoutS);
        positive(problems, "http.liveRevalidateS", http.liveRevalidateS);
        if (http.liveBacklogBytes < 64 * 1024) {
            problems.add("http.liveBacklogBytes must be at least 65536 (a burst of alerts must fit)");
        }
        if (http.maxRequestBytes < 4096 || http.maxRequestBytes > 16 << 20) {
            problems.add("http.maxRequestBytes must be within 4096..16777216, was " + http.maxRequestBytes);
        }
        positive(problems, "journal.fsyncIntervalMs", journal.fsyncIntervalMs);
        positive(problems, "journal.retentionDays", journal.retentionDays);
        if (journal.kind == JournalKind.KAFKA) {
            if (kafka.bootstrapServers.isBlank()) {
                problems.add("kafka.bootstrapServers must be set when journal.kind is kafka");
            }
            if (kafka.topic.isBlank() || kafka.alertsTopic.isBlank() || kafka.storageGroup.isBlank()) {
                problems.add("kafka.topic, kafka.alertsTopic and kafka.storageGroup must not be empty");
            }
            positive(problems, "kafka.partitions", kafka.partitions);
            positive(problems, "kafka.replicationFactor", kafka.replicationFactor);
            positive(problems, "kafka.minInsyncReplicas", kafka.minInsyncReplicas);
            positive(problems, "kafka.deliveryTimeoutMs", kafka.deliveryTimeoutMs);
            positive(problems, "kafka.loginCatchUpMs", kafka.loginCatchUpMs);
            if (kafka.lingerMs < 0) {
                problems.add("kafka.lingerMs must be >= 0, was " + kafka.lingerMs);
            }
            if (kafka.alertsTopic.isBlank() || kafka.snapshotsTopic.isBlank() || kafka.evaluationGroup.isBlank()) {
                problems.add("kafka.alertsTopic, kafka.snapshotsTopic and kafka.evaluationGroup must not be empty");
            }
            positive(problems, "kafka.evaluationSessionTimeoutMs", kafka.evaluationSessionTimeoutMs);
            positive(problems, "kafka.evaluationHeartbeatMs", kafka.evaluationHeartbeatMs);
            if (kafka.evaluationHeartbeatMs >= kafka.evaluationSessionTimeoutMs) {
                problems.add("kafka.evaluationHeartbeatMs must be below kafka.evaluationSessionTimeoutMs");
            }
            if (kafka.minInsyncReplicas > kafka.replicationFactor) {
                problems.add("kafka.minInsyncReplicas must not exceed kafka.replicationFactor");
            }
        }
        if (limits.maxFrameBytes < 256 || limits.maxFrameBytes > 65_536) {
            problems.add("limits.maxFrameBytes must be within 256..65536, was " + limits.maxFrameBytes);
        }
        positive(problems, "limits.idleTimeoutS", limits.idleTimeoutS);
        positive(problems, "limits.handshakeTimeoutS", limits.handshakeTimeoutS);
        positive(problems, "limits.maxConnectionsPerAddress", limits.maxConnectionsPerAddress);
        if (limits.backpressureLowWatermark >= limits.backpressureHighWatermark || limits.backpressureLowWatermark < 0) {
            problems.add("limits.backpressureLowWatermark must be >= 0 and below limits.backpressureHighWatermark");
        }
        positive(problems, "limits.maxFixAheadS", limits.maxFixAheadS);
        positive(problems, "limits.maxFixAgeDays", limits.maxFixAgeDays);
        positive(problems, "core.clockFaultAlertFixes", core.clockFaultAlertFixes);
        positive(problems, "core.clockFaultAlertS", core.clockFaultAlertS);
        positive(problems, "core.defaultNoCommunicationLimitS", core.defaultNoCommunicationLimitS);
        positive(problems, "core.defaultNoFixLimitS", core.defaultNoFixLimitS);
        positive(problems, "core.tickIntervalMs", core.tickIntervalMs);
        positive(problems, "core.scheduleUnknownAfterS", core.scheduleUnknownAfterS);
        if (!core.accuracyDefaults.matches("\\s*|[\\w-]+\\s*=\\s*\\d+(\\.\\d+)?(\\s*,\\s*[\\w-]+\\s*=\\s*\\d+(\\.\\d+)?)*\\s*")) {
            problems.add("core.accuracyDefaults must be model=metres,... (e.g. gt06=50,watch=50), got '" + core.accuracyDefaults + "'");
        }
        if (core.batteryCriticalPercent >= core.batteryLowPercent) {
            problems.add("core.batteryCriticalPercent must be below core.batteryLowPercent");
        }
        positive(problems, "database.poolSize", database.poolSize);
        positive(problems, "database.embeddedStartTimeoutS", database.embeddedStartTimeoutS);
        positive(problems, "storage.positionsRetentionDays", storage.positionsRetentionDays);
        positive(problems, "storage.batchMaxRows", storage.batchMaxRows);
        if (storage.lingerMs < 0 || storage.lingerMs > 60_000) {
            problems.add("storage.lingerMs must be between 0 and 60000, was " + storage.lingerMs);
        }
        positive(problems, "commands.defaultTimeToLiveS", commands.defaultTimeToLiveS);
        positive(problems, "commands.expiryCheckMs", commands.expiryCheckMs);
        if (!live.token.isBlank() && tokenBits(live.token) < MIN_TOKEN_BITS) {
            problems.add("live.token is too weak: about " + tokenBits(live.token) + " bits, at least " + MIN_TOKEN_BITS
                    + " are required (32 hexadecimal digits or 22 random base64 characters); leave it empty to have one"
                    + " generated into " + SecretFile.dir(dataDir()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        return this;
    }

    /** Shortest accepted configured token strength. */
    public static final int MIN_TOKEN_BITS = 128;

    /**
     * The most a token can carry if its characters were random: 4 bits per character when it is all hexadecimal
     * digits, 6 (base64) otherwise. A guess from above, so a refused token is surely too short.
     */
    public static int tokenBits(String token) {
        boolean hex = token.chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
        return token.length() * (hex ? 4 : 6);
    }

    private static void checkPort(List<String> problems, String name, int port) {
        if (port < -1 || port > 65_535) {
            problems.add(name + " must be -1 (disabled), 0 (any free port) or 1..65535, was " + port);
        }
    }

    private static void positive(List<String> problems, String name, long value) {
        if (value <= 0) {
            problems.add(name + " must be positive, was " + value);
        }
    }
}
