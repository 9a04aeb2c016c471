package io.kuzet.server.metrics;

import io.kuzet.protocol.DecodeError;
import io.kuzet.server.journal.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingestion meters of {@code docs/metrics.md}, resolved once so that counting on the hot path is an array
 * lookup and an increment, never a tag lookup or allocation. Thread-safe.
 */
public final class IngestMetrics {
    /** Reasons a login is refused; the metric label is the lower-case name. */
    public enum LoginRefusal {
        UNKNOWN_DEVICE, BAD_HMAC, PROTOCOL_NOT_ALLOWED, NOT_LOGGED_IN,
        /** a connection that logged in as one device named another (GT06 login, Watch frame) */
        IDENTITY_SWITCH,
        /** a second login of a connected device, refused by the duplicate-session setting */
        DUPLICATE_SESSION,
        /** the source address is outside the device's or agency's allowed networks */
        SOURCE_NOT_ALLOWED,
        /** a Kuzet LOGIN without frame authentication while the server requires it */
        FRAME_MAC_REQUIRED,
        /** Kafka: this node could not read the device's partition up to the login in time (kafka.loginCatchUpMs) */
        NOT_CAUGHT_UP
    }

    /** What happened to a second login of a device that was connected. */
    public enum DuplicateSessionOutcome { REPLACED, REFUSED }

    /** Reasons a connection is closed before or instead of a login. */
    /**
     * Why a connection was closed before login. The two PROXY reasons exist only with {@code ports.proxyProtocol}:
     * a connection from a balancer without a valid PROXY header, and a PROXY header from an address that is not a
     * balancer (a device claiming another address).
     */
    public enum ConnectionRefusal { PER_ADDRESS_LIMIT, HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, PROXY_HEADER_MISSING, PROXY_HEADER_NOT_ALLOWED }

    private final MeterRegistry registry;
    private final AtomicInteger[] devicesConnected = new AtomicInteger[Protocol.values().length];
    private final AtomicInteger[] connectionsOpen = new AtomicInteger[Protocol.values().length];
    private final Counter[][] decodeErrors = new Counter[Protocol.values().length][DecodeError.values().length];
    private final Counter[][] loginsRefused = new Counter[Protocol.values().length][LoginRefusal.values().length];
    private final Counter[][] connectionsRefused = new Counter[Protocol.values().length][ConnectionRefusal.values().length];
    private final Counter[] positions = new Counter[Protocol.values().length];
    private final Counter[][] duplicateSessions = new Counter[Protocol.values().length][DuplicateSessionOutcome.values().length];
    private final Counter[] duplicates = new Counter[Protocol.values().length];
    private final Counter[] clockFaultFixes = new Counter[Protocol.values().length];
    private final Counter[] sequenceResyncs = new Counter[Protocol.values().length];
    private final Timer[] ackLatency = new Timer[Protocol.values().length];
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, Counter>[] frames = new ConcurrentHashMap[Protocol.values().length];
    private final Counter journalAppends;
    private final Timer journalAppendLatency;
    private final Counter backpressurePauses;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Protocol p : Protocol.values()) {
            int i = p.ordinal();
            frames[i] = new ConcurrentHashMap<>();
            devicesConnected[i] = registry.gauge("kuzet_devices_connected", io.micrometer.core.instrument.Tags.of("protocol", p.label()), new AtomicInteger());
            connectionsOpen[i] = registry.gauge("kuzet_connections_open", io.micrometer.core.instrument.Tags.of("protocol", p.label()), new AtomicInteger());
            for (DecodeError e : DecodeError.values()) {
                decodeErrors[i][e.ordinal()] = Counter.builder("kuzet_decode_errors")
                        .description("frames refused by the decoder")
                        .tags("protocol", p.label(), "reason", e.label()).register(registry);
            }
            for (LoginRefusal r : LoginRefusal.values()) {
                loginsRefused[i][r.ordinal()] = Counter.builder("kuzet_logins_refused")
                        .description("logins refused")
                        .tags("protocol", p.label(), "reason", r.name().toLowerCase()).register(registry);
            }
            for (ConnectionRefusal r : ConnectionRefusal.values()) {
                connectionsRefused[i][r.ordinal()] = Counter.builder("kuzet_connections_refused")
                        .description("connections closed at accept or before login")
                        .tags("protocol", p.label(), "reason", r.name().toLowerCase()).register(registry);
            }
            for (DuplicateSessionOutcome o : DuplicateSessionOutcome.values()) {
                duplicateSessions[i][o.ordinal()] = Counter.builder("kuzet_duplicate_sessions")
                        .description("logins of a device that already had a connected session")
                        .tags("protocol", p.label(), "outcome", o.name().toLowerCase()).register(registry);
            }
            positions[i] = Counter.builder("kuzet_positions_received").description("fixes decoded")
                    .tags("protocol", p.label()).register(registry);
            duplicates[i] = Counter.builder("kuzet_duplicates").description("retransmitted messages acked again but not journaled")
                    .tags("protocol", p.label()).register(registry);
            clockFaultFixes[i] = Counter.builder("kuzet_fixes_clock_fault")
                    .description("fixes dated too far ahead of their receive time or too old: journaled as evidence, never evaluated")
                    .tags("protocol", p.label()).register(registry);
            sequenceResyncs[i] = Counter.builder("kuzet_sequence_resyncs")
                    .description("sessions whose first message was ahead of the server's stored sequence and was accepted")
                    .tags("protocol", p.label()).register(registry);
            ackLatency[i] = Timer.builder("kuzet_ack").description("frame received to ack written")
                    .tags("protocol", p.label()).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofSeconds(1))
                    .register(registry);
        }
        journalAppends = Counter.builder("kuzet_journal_appends").description("messages appended to the journal").register(registry);
        journalAppendLatency = Timer.builder("kuzet_journal_append").description("time to append one message")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100)).maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        backpressurePauses = Counter.builder("kuzet_backpressure_pauses").description("socket reads paused because the core fell behind")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void connectionOpened(Protocol p) {
        connectionsOpen[p.ordinal()].incrementAndGet();
    }

    public void connectionClosed(Protocol p) {
        connectionsOpen[p.ordinal()].decrementAndGet();
    }

    public void deviceLoggedIn(Protocol p) {
        devicesConnected[p.ordinal()].incrementAndGet();
    }

    public void deviceLoggedOut(Protocol p) {
        devicesConnected[p.ordinal()].decrementAndGet();
    }

    public int devicesConnected(Protocol p) {
        return devicesConnected[p.ordinal()].get();
    }

    public void decodeError(Protocol p, DecodeError reason) {
        decodeErrors[p.ordinal()][reason.ordinal()].increment();
    }

    public double decodeErrors(Protocol p, DecodeError reason) {
        return decodeErrors[p.ordinal()][reason.ordinal()].count();
    }

    public void loginRefused(Protocol p, LoginRefusal reason) {
        loginsRefused[p.ordinal()][reason.ordinal()].increment();
    }

    public void duplicateSession(Protocol p, DuplicateSessionOutcome outcome) {
        duplicateSessions[p.ordinal()][outcome.ordinal()].increment();
    }

    public double duplicateSessions(Protocol p, DuplicateSessionOutcome outcome) {
        return duplicateSessions[p.ordinal()][outcome.ordinal()].count();
    }

    public double loginsRefused(Protocol p, LoginRefusal reason) {
        return loginsRefused[p.ordinal()][reason.ordinal()].count();
    }

    public void connectionRefused(Protocol p, ConnectionRefusal reason) {
        connectionsRefused[p.ordinal()][reason.ordinal()].increment();
    }

    public double connectionsRefused(Protocol p, ConnectionRefusal reason) {
        return connectionsRefused[p.ordinal()][reason.ordinal()].count();
    }

    /** Counts a decoded frame; {@code type} must come from a small fixed set of constants (message type names). */
    public void frame(Protocol p, String type) {
        frameCounter(p, type).increment();
    }

    /** The frame counter of a protocol and message type; a map read without allocation once it exists. */
    public Counter frameCounter(Protocol p, String type) {
        Counter counter = frames[p.ordinal()].get(type);
        if (counter == null) {
            counter = frames[p.ordinal()].computeIfAbsent(type, t -> Counter.builder("kuzet_frames_received")
                    .description("frames decoded, by message type").tags("protocol", p.label(), "type", t)
                    .register(registry));
        }
        return counter;
    }

    public void positions(Protocol p, int count) {
        positions[p.ordinal()].increment(count);
    }

    public void duplicate(Protocol p) {
        duplicates[p.ordinal()].increment();
    }

    public double duplicates(Protocol p) {
        return duplicates[p.ordinal()].count();
    }

    public void clockFaultFixes(Protocol p, int count) {
        clockFaultFixes[p.ordinal()].increment(count);
    }

    public double clockFaultFixes(Protocol p) {
        return clockFaultFixes[p.ordinal()].count();
    }

    public void sequenceResync(Protocol p) {
        sequenceResyncs[p.ordinal()].increment();
    }

    public double sequenceResyncs(Protocol p) {
        return sequenceResyncs[p.ordinal()].count();
    }

    public void journalAppended(long nanos) {
        journalAppends.increment();
        journalAppendLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void acked(Protocol p, long nanos) {
        ackLatency[p.ordinal()].record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void backpressurePause() {
        backpressurePauses.increment();
    }
}
