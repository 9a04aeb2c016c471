package io.kuzet.server.ingest;

/**
 * What device sessions tell the command service: a device is connected (commands may be sent), gone, or answered a
 * command. Called on event loops: implementations hand the work to their own thread and return at once.
 */
public interface CommandLink {
    /** No command service: sessions tell nobody. */
    CommandLink NONE = new CommandLink() {
        @Override
        public void connected(long deviceId, CommandPort port) {
        }

        @Override
        public void disconnected(long deviceId, CommandPort port) {
        }

        @Override
        public void answered(long deviceId, long commandId, Answer answer, String text) {
        }

        @Override
        public void answeredWord(long deviceId, String word, String text) {
        }
    };

    /** How a device answered. */
    enum Answer { DONE, REJECTED, UNSUPPORTED }

    /** The session of {@code deviceId} is logged in and ready for commands (Kuzet: its LOGIN_RESULT is written). */
    void connected(long deviceId, CommandPort port);

    void disconnected(long deviceId, CommandPort port);

    /** An answer naming the command id (Kuzet COMMAND_RESULT, GT06 server flag); {@code text} null when none. */
    void answered(long deviceId, long commandId, Answer answer, String text);

    /** An answer naming only the command word (Watch: {@code [3G*id*0006*UPLOAD]}). */
    void answeredWord(long deviceId, String word, String text);
}
