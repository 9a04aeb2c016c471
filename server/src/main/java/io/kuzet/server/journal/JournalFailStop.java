package io.kuzet.server.journal;

import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does when forcing the journal to disk fails in {@code fsync} mode: it stops for good and leaves
 * the restart to the supervisor (systemd {@code Restart=on-failure}). Retrying the force is not safe: after a failed
 * fdatasync Linux marks the dirty pages clean, so a second call can report success for data that never reached the
 * disk (PostgreSQL's "fsyncgate", 2018). A fresh process re-reads the journal from the file and re-acks only what it
 * finds there.
 */
public final class JournalFailStop {
    private static final Logger LOG = LoggerFactory.getLogger(JournalFailStop.class);

    /** Exit status of the fail-stop (EX_IOERR from sysexits.h), distinct from a crash or a configuration error (2). */
    public static final int EXIT_CODE = 74;

    /** The production exit: {@code System.exit} on its own thread (shutdown hooks run), halted if they hang. */
    public static final IntConsumer EXIT_PROCESS = code -> {
        Thread exit = new Thread(() -> {
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(code);
            }, "kuzet-fail-stop-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(code);
        }, "kuzet-fail-stop");
        exit.start();
    };

    private JournalFailStop() {
    }

    /** Logs the failure and exits with {@link #EXIT_CODE} through {@code exit}. */
    public static void stop(Throwable cause, IntConsumer exit) {
        LOG.error("FATAL: the ingest journal could not be forced to disk (journal.durability=fsync) or Kafka did not "
                + "acknowledge an append (journal.kind=kafka); acks are stopped and the server exits with status {} for a "
                + "supervised restart", EXIT_CODE, cause);
        exit.accept(EXIT_CODE);
    }
}
