package io.kuzet.protocol.gt06;

/**
 * GT06 protocol numbers (the byte after the length) that Kuzet knows. Constants only.
 */
public final class Gt06ProtocolNumber {
    public static final int LOGIN = 0x01;
    public static final int GPS = 0x10;
    public static final int GPS_LBS = 0x12;
    public static final int STATUS = 0x13;
    public static final int STRING = 0x15;
    public static final int GPS_LBS_STATUS = 0x16;
    public static final int LBS_STATUS = 0x19;
    public static final int COMMAND_REPLY = 0x21;
    public static final int GPS_LBS_2 = 0x22;
    public static final int HEARTBEAT_2 = 0x23;
    public static final int GPS_LBS_STATUS_2 = 0x26;
    /** Server to device: online command (text under a server flag), answered with 0x21 or 0x15. */
    public static final int ONLINE_COMMAND = 0x80;
    public static final int TIME_REQUEST = 0x8A;
    public static final int INFO = 0x94;

    private Gt06ProtocolNumber() {
    }
}
