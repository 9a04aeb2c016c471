package io.kuzet.protocol.watch;

import java.nio.charset.StandardCharsets;

/**
 * Watch message types (the content before the first ',') as ASCII bytes, for allocation-free comparison with
 * {@link WatchFrame#typeIs(byte[])} and {@link WatchFrame#typeFamily(byte[])}. Constants only; never modify them.
 */
final class WatchMessageType {
    static final byte[] LK = ascii("LK");
    static final byte[] UD = ascii("UD");
    static final byte[] UD2 = ascii("UD2");
    static final byte[] UD3 = ascii("UD3");
    static final byte[] AL = ascii("AL");
    static final byte[] TKQ = ascii("TKQ");
    static final byte[] TKQ2 = ascii("TKQ2");
    static final byte[] INIT = ascii("INIT");

    /** Types a watch sends that carry nothing Kuzet stores (health sensors, voice, images, command echoes). */
    static final byte[][] IGNORED = {TKQ, TKQ2, INIT, ascii("PULSE"), ascii("heart"), ascii("hrtstart"), ascii("BPHRT"),
        ascii("blood"), ascii("bphrt"), ascii("TEMP"), ascii("btemp2"), ascii("oxygen"), ascii("TK"), ascii("img"),
        ascii("CONFIG"), ascii("ICCID"), ascii("CR"), ascii("UPLOAD"), ascii("SOS"), ascii("SOS1"), ascii("SOS2"),
        ascii("SOS3"), ascii("MONITOR"), ascii("FIND"), ascii("POWEROFF"), ascii("RESET"), ascii("FACTORY"),
        ascii("TS"), ascii("WAD"), ascii("WG"), ascii("PHB"), ascii("PHB2"), ascii("SILENCETIME"), ascii("REMIND")};

    private WatchMessageType() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
