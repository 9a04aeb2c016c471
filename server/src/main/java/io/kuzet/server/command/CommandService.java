package io.kuzet.server.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.CommandLink;
import io.kuzet.server.ingest.CommandPort;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.SubjectRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command outbox (docs/commands.md). A command is stored ({@link CommandStore}) before anything is sent; it is
 * written to its device when the device is connected, again (same id) on each later session while it has no answer,
 * and ends with the device's answer (matched by id, or for Watch by command word), or EXPIRED when its time to live
 * ends first. A kind the device's protocol cannot say ends UNSUPPORTED without being sent. Each state change is
 * counted ({@code kuzet_commands_total{protocol,state}}) and published on the live stream ({@code "kind":"command"}).
 *
 * <p>Sessions ({@link CommandLink}) and the evaluation core ({@link DeviceCommandRequests}) only hand work over:
 * everything touching the database or the connected-device map runs on one thread, {@code kuzet-commands}, so
 * connecting, requesting and answering are serialised per server and a command is never written twice to one
 * session. Operator requests are stored on the caller's thread ({@link #submit}) so the API can answer with the id.
 */
public final class CommandService implements DeviceCommandRequests, CommandLink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
    private static final int QUEUE_CAPACITY = 10_000;

    private final CommandStore store;
    private final RegistryHolder registry;
    private final LongSupplier clockMs;
    private final Duration defaultTimeToLive;
    private final ScheduledThreadPoolExecutor thread;
    private final Map<Long, CommandPort> connected = new HashMap<>();   // kuzet-commands thread only
    private final Map<Protocol, Map<CommandState, Counter>> transitions = new EnumMap<>(Protocol.class);
    private final Counter dropped;
    private volatile Consumer<ObjectNode> live = event -> { };
    private volatile java.util.function.BooleanSupplier expires = () -> true;

    public CommandService(CommandStore store, RegistryHolder registry, LongSupplier clockMs, MeterRegistry meters,
                          ServerConfig.Commands settings) {
        this.store = store;
        this.registry = registry;
        this.clockMs = clockMs;
        this.defaultTimeToLive = Duration.ofSeconds(settings.defaultTimeToLiveS);
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kuzet-commands");
            t.setDaemon(true);
            return t;
        });
        for (Protocol p : Protocol.values()) {
            Map<CommandState, Counter> byState = new EnumMap<>(CommandState.class);
            for (CommandState s : CommandState.values()) {
                byState.put(s, Counter.builder("kuzet_commands").tag("protocol", p.label())
                        .tag("state", s.name().toLowerCase(java.util.Locale.ROOT))
                        .description("device commands entering each state (sent counts every write to a session)")
                        .register(meters));
            }
            transitions.put(p, byState);
        }
        dropped = Counter.builder("kuzet_commands_dropped").description(
                "supervision command requests lost: queue full or the database refused them").register(meters);
        thread.scheduleWithFixedDelay(this::expireQuietly, settings.expiryCheckMs, settings.expiryCheckMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the scheduled expiry only while {@code gate} says so (several nodes: only on the one that runs the
     * cluster-wide jobs, {@link io.kuzet.server.cluster.ClusterJobs}); {@link #expireNow} is not gated.
     */
    public void expireOnlyWhen(java.util.function.BooleanSupplier gate) {
        this.expires = gate;
    }

    /** Where state changes are published (the live hub); set once at start. */
    public void publishTo(Consumer<ObjectNode> sink) {
        this.live = sink;
    }

    /** The time to live of requests that do not name one. */
    public Duration defaultTimeToLive() {
        return defaultTimeToLive;
    }

    /** Evaluation core thread: queues the request; never blocks (a full queue drops it, counted). */
    @Override
    public void request(CommandRequest request) {
        if (thread.getQueue().size() >= QUEUE_CAPACITY) {
            dropped.increment();
            LOG.warn("command queue full; dropped {} for device {}", request.kind(), request.deviceId());
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    store(request);
                } catch (SQLException | RuntimeException e) {
                    dropped.increment();
                    LOG.warn("command {} for device {} not stored: {}", request.kind(), request.deviceId(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    /**
     * Stores a request now (the API's thread) and hands it to the sender; returns the stored command, or null when a
     * command with its dedup key exists. The device must be registered.
     */
    public DeviceCommand submit(CommandRequest request, AlsoInTransaction also) throws SQLException {
        DeviceCommand stored;
        try (java.sql.Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                stored = insert(c, request);
                if (stored != null) {
                    also.run(c, stored);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        if (stored != null) {
            changed(stored);
            if (stored.state().open()) {
                run(() -> sendIfConnected(stored));
            }
        }
        return stored;
    }

    /** Work done in the transaction that stores an operator's command (its audit entry). */
    @FunctionalInterface
    public interface AlsoInTransaction {
        void run(java.sql.Connection tx, DeviceCommand stored) throws SQLException;
    }

    public List<DeviceCommand> forSubject(long subjectId, int limit) throws SQLException {
        return store.forSubject(subjectId, limit);
    }

    private void store(CommandRequest request) throws SQLException {
        DeviceCommand stored;
        try (java.sql.Connection c = store.connection()) {
            stored = insert(c, request);
        }
        if (stored != null) {
            changed(stored);
            if (stored.state().open()) {
                sendIfConnected(stored);
            }
        }
    }

    private DeviceCommand insert(java.sql.Connection c, CommandRequest request) throws SQLException {
        DeviceRecord device = registry.snapshot().device(request.deviceId());
        if (device == null) {
            throw new IllegalArgumentException("device " + request.deviceId() + " is not registered");
        }
        Protocol protocol = protocolOf(device);
        ProtocolCommands.Encoding encoding = ProtocolCommands.of(protocol, request.kind(), request.argument());
        CommandState state = encoding == null ? CommandState.UNSUPPORTED : CommandState.QUEUED;
        String result = encoding == null ? "the " + protocol.label() + " protocol has no command for " + request.kind() : null;
        return store.insert(c, request, device.subjectId(), protocol, state, result, now());
    }

    private void sendIfConnected(DeviceCommand command) {
        CommandPort port = connected.get(command.deviceId());
        if (port != null) {
            sendOn(port, command);
        }
    }

    private void sendOn(CommandPort port, DeviceCommand command) {
        ProtocolCommands.Encoding encoding = ProtocolCommands.of(port.protocol(), command.kind(), command.argument());
        if (encoding == null) {
            return;
        }
        port.send(command.id(), encoding.kuzetCode(), command.argument(), encoding.text(), written -> {
            if (written) {
                run(() -> {
                    DeviceCommand sent = store.markSent(command.id(), now());
                    if (sent != null) {
                        changed(sent);
                    }
                });
            }
        });
    }

    @Override
    public void connected(long deviceId, CommandPort port) {
        run(() -> {
            connected.put(deviceId, port);
            for (DeviceCommand open : store.open(deviceId, now())) {
                sendOn(port, open);
            }
        });
    }

    @Override
    public void disconnected(long deviceId, CommandPort port) {
        run(() -> connected.remove(deviceId, port));
    }

    @Override
    public void answered(long deviceId, long commandId, Answer answer, String text) {
        run(() -> finish(deviceId, commandId, answer, text));
    }

    @Override
    public void answeredWord(long deviceId, String word, String text) {
        run(() -> {
            DeviceCommand sent = store.oldestSent(deviceId, ProtocolCommands.watchKindsAnsweredBy(word));
            if (sent != null) {
                finish(deviceId, sent.id(), Answer.DONE, text == null ? word : text);
            }
        });
    }

    private void finish(long deviceId, long commandId, Answer answer, String text) throws SQLException {
        CommandState to = switch (answer) {
            case DONE -> CommandState.DONE;
            case REJECTED -> CommandState.FAILED;
            case UNSUPPORTED -> CommandState.UNSUPPORTED;
        };
        String result = text != null ? text : switch (answer) {
            case DONE -> "done";
            case REJECTED -> "rejected by the device";
            case UNSUPPORTED -> "the device does not support it";
        };
        DeviceCommand done = store.finish(commandId, deviceId, to, result, now());
        if (done != null) {
            changed(done);
        }
    }

    /** Marks commands past their time to live EXPIRED now (also run every {@code commands.expiryCheckMs}). */
    public void expireNow() throws SQLException {
        for (DeviceCommand expired : store.expire(now())) {
            changed(expired);
        }
    }

    private void expireQuietly() {
        if (!expires.getAsBoolean()) {
            return;
        }
        try {
            expireNow();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("command expiry failed; retried at the next check: {}", e.toString());
        }
    }

    private void changed(DeviceCommand command) {
        transitions.get(Protocol.valueOf(command.protocol().toUpperCase(java.util.Locale.ROOT))).get(command.state()).increment();
        SubjectRecord subject = command.subjectId() == 0 ? null : registry.snapshot().subject(command.subjectId());
        ObjectNode event = io.kuzet.server.api.http.Json.object().put("kind", "command")
                .put("agencyId", subject == null ? "-1" : Long.toString(subject.agencyId()))
                .put("subjectId", command.subjectId() == 0 ? null : Long.toString(command.subjectId()));
        event.set("command", CommandJson.toJson(command));
        try {
            live.accept(event);
        } catch (RuntimeException e) {
            LOG.debug("live publish of command {} failed: {}", command.id(), e.toString());
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void run(Work work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("command outbox work failed (the command stays open and is retried on the next session): {}",
                            e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("command service closed; work dropped");
        }
    }

    /**
     * Waits until everything handed to the service so far (requests, sends, answers) has been done; for runs on
     * simulated time, which must not move on while a command is still on its way (tests and the simulator).
     */
    /** Snapshot writer: every request queued so far has been stored or refused (one thread takes them in order). */
    @Override
    public boolean awaitStored(Duration timeout) {
        try {
            thread.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    public void awaitIdle(Duration timeout) throws InterruptedException {
        try {
            thread.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("command service not idle within " + timeout, e);
        }
    }

    /** Whether the service holds an open session of the device (asked on its thread; tests wait for a disconnect). */
    public boolean hasSession(long deviceId) throws InterruptedException {
        try {
            return thread.submit(() -> connected.containsKey(deviceId)).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("command service did not answer", e);
        }
    }

    private static Protocol protocolOf(DeviceRecord device) {
        return Protocol.valueOf(device.protocol().toUpperCase(java.util.Locale.ROOT));
    }

    private Instant now() {
        return Instant.ofEpochMilli(clockMs.getAsLong());
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
