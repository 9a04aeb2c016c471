package io.kuzet.protocol.kuzet;

/** Wire values of COMMAND codes and COMMAND_RESULT statuses. Constants only. */
public final class KuzetCommands {
    /** Change the fix reporting interval; param = seconds. */
    public static final int SET_REPORTING_INTERVAL = 1;
    /** Report a fix now; param = 0. */
    public static final int REQUEST_POSITION = 2;
    /** Vibrate the bracelet; param = duration in ms. */
    public static final int VIBRATE = 3;
    /** Show or play a stored message to the wearer; param = message id. */
    public static final int NOTIFY_WEARER = 4;
    /** Report battery, charging and strap state now (a HEARTBEAT, plus DEVICE_EVENTs for anything abnormal); param = 0. */
    public static final int REQUEST_STATUS = 5;

    public static final int RESULT_DONE = 0;
    public static final int RESULT_REJECTED = 1;
    public static final int RESULT_UNSUPPORTED = 2;

    static boolean isValidCode(int code) {
        return code >= SET_REPORTING_INTERVAL && code <= REQUEST_STATUS;
    }

    static boolean isValidResult(int status) {
        return status >= RESULT_DONE && status <= RESULT_UNSUPPORTED;
    }

    private KuzetCommands() {
    }
}
