package io.kuzet.server.ingest;

import io.kuzet.server.journal.Protocol;

/**
 * A logged-in device session as the command service sees it: it can write one command frame. Implemented by
 * {@link DeviceSessionHandler}; {@link #send} may be called from any thread and writes on the session's event loop,
 * in order with the session's other frames (Kuzet: after LOGIN_RESULT, with the session's sequence and frame tag).
 */
public interface CommandPort {
    Protocol protocol();

    /**
     * Writes a command. Each protocol uses what it needs: Kuzet the id, code and argument; GT06 the id (as server
     * flag) and the text; Watch the text.
     *
     * @param written called with true once the frame is written to the socket, false when the session closed first
     */
    void send(long commandId, int kuzetCode, long argument, String text, java.util.function.Consumer<Boolean> written);
}
