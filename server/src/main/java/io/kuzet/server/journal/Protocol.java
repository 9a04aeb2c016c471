package io.kuzet.server.journal;

/** Device protocols with their journal code and their name as used in configuration, the registry and metric labels. */
public enum Protocol {
    KUZET(1, "kuzet"),
    GT06(2, "gt06"),
    WATCH(3, "watch");

    private final int code;
    private final String label;

    Protocol(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Protocol fromCode(int code) {
        for (Protocol p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol code " + code);
    }
}
