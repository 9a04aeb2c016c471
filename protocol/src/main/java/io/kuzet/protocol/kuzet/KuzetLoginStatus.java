package io.kuzet.protocol.kuzet;

/** Wire values of the LOGIN_RESULT status byte. Constants only. */
public final class KuzetLoginStatus {
    public static final int OK = 0;
    /** Not sent by this server any more: an unknown device is answered with {@link #AUTH_FAILED} (no enumeration). */
    public static final int UNKNOWN_DEVICE = 1;
    /** Unknown device or bad HMAC: the answer does not say which (docs/protocol.md §3). */
    public static final int AUTH_FAILED = 2;
    /** Former name of {@link #AUTH_FAILED}. */
    public static final int BAD_HMAC = AUTH_FAILED;
    public static final int NOT_ALLOWED = 3;

    static boolean isValid(int status) {
        return status >= OK && status <= NOT_ALLOWED;
    }

    private KuzetLoginStatus() {
    }
}
