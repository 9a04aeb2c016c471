package io.kuzet.server.ingest;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.metrics.IngestMetrics;
import io.netty.util.concurrent.FastThreadLocal;
import java.security.SecureRandom;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * What every device session needs, shared by all ports: the ingest service, de-duplication ledger, device
 * directory, metrics, limits and the clock. Thread-safe; the per-thread {@link #scratchMessage()} lets a
 * session decode without allocating or holding a large buffer per connection.
 */
public final class IngestContext {
    final IngestService ingest;
    final DeviceLedger ledger;
    final DeviceDirectory directory;
    final IngestMetrics metrics;
    final BackpressureGate backpressure;
    final ServerConfig.Limits limits;
    final LongSupplier clockMs;
    final SecureRandom random = new SecureRandom();
    final RateLimitedLog badInputLog = new RateLimitedLog(LoggerFactory.getLogger("io.kuzet.server.ingest.BadInput"), 10);
    final SessionRegistry sessions = new SessionRegistry();
    final ServerConfig.DeviceTrust trust;
    /** Where sessions report connections and command answers; set once before the device ports open. */
    volatile CommandLink commands = CommandLink.NONE;
    /** Kafka: where a login waits for the ledger to know what other nodes stored; null with the embedded journal. */
    volatile LedgerCatchUp ledgerCatchUp;
    /** Key of the HMAC computed for an unknown device, so its refusal costs what a bad HMAC's does. */
    final byte[] dummyDeviceKey = new byte[32];
    private final FastThreadLocal<DeviceMessage> scratch = new FastThreadLocal<>() {
        @Override
        protected DeviceMessage initialValue() {
            return new DeviceMessage();
        }
    };

    public IngestContext(IngestService ingest, DeviceLedger ledger, DeviceDirectory directory, IngestMetrics metrics,
                         BackpressureGate backpressure, ServerConfig.Limits limits, LongSupplier clockMs) {
        this(ingest, ledger, directory, metrics, backpressure, limits, new ServerConfig.DeviceTrust(), clockMs);
    }

    public IngestContext(IngestService ingest, DeviceLedger ledger, DeviceDirectory directory, IngestMetrics metrics,
                         BackpressureGate backpressure, ServerConfig.Limits limits, ServerConfig.DeviceTrust trust,
                         LongSupplier clockMs) {
        this.trust = trust;
        random.nextBytes(dummyDeviceKey);
        this.ingest = ingest;
        this.ledger = ledger;
        this.directory = directory;
        this.metrics = metrics;
        this.backpressure = backpressure;
        this.limits = limits;
        this.clockMs = clockMs;
    }

    DeviceMessage scratchMessage() {
        return scratch.get().clear();
    }

    /** Connects the sessions to the command service (before the device ports open). */
    public void commandLink(CommandLink link) {
        this.commands = link == null ? CommandLink.NONE : link;
    }

    /** Makes logins wait for {@code catchUp} (Kafka: other nodes append to the same topic); before the ports open. */
    public void ledgerCatchUp(LedgerCatchUp catchUp) {
        this.ledgerCatchUp = catchUp;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    public ServerConfig.DeviceTrust trust() {
        return trust;
    }
}
