package io.kuzet.protocol.kuzet;

/** Wire values of the LOGIN_RESULT status byte. Constants only. */
public final class KuzetLoginStatus {
    public static final int OK = 0;
    public static final int UNKNOWN_DEVICE = 1;
    public static final int BAD_HMAC = 2;
    public static final int NOT_ALLOWED = 3;

    static boolean isValid(int status) {
        return status >= OK && status <= NOT_ALLOWED;
    }

    private KuzetLoginStatus() {
    }
}
