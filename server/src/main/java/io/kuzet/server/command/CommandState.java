package io.kuzet.server.command;

/**
 * Where a command is (docs/commands.md). QUEUED and SENT are open: the command is sent when its device connects
 * (again, with the same id, after a reconnect while SENT). The others are final.
 */
public enum CommandState {
    /** Stored, not yet written to the device. */
    QUEUED,
    /** Written to a session of the device; no answer yet. */
    SENT,
    /** The device answered that it did it. */
    DONE,
    /** The device refused it or answered with an error. */
    FAILED,
    /** The device's protocol cannot do this kind (never sent), or the device answered that it cannot. */
    UNSUPPORTED,
    /** Its time to live ended before an answer came. */
    EXPIRED;

    public boolean open() {
        return this == QUEUED || this == SENT;
    }
}
