package io.kuzet.server.api.alerts;

import io.kuzet.server.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of the alert history ended: the last alert's detection time (to the microsecond, as PostgreSQL
 * stores it) and id. The next page continues strictly after it in the order {@code detected_at desc, id desc}, so
 * alerts arriving between pages (newer, hence before the first page) neither repeat nor push rows off a page, as
 * an offset would. Opaque to clients: base64url of {@code v1:<epoch micros>:<id>}. Immutable.
 */
public record AlertCursor(long detectedAtMicros, long alertId) {
    private static final String VERSION = "v1:";

    public static AlertCursor after(Timestamp detectedAt, long alertId) {
        Instant t = detectedAt.toInstant();
        return new AlertCursor(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000), alertId);
    }

    /** The cursor a client sent back, or 400 when it is not one this server wrote. */
    public static AlertCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            if (!plain.startsWith(VERSION)) {
                throw new IllegalArgumentException("version");
            }
            String[] parts = plain.substring(VERSION.length()).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("parts");
            }
            return new AlertCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'cursor' is not a cursor from this API (pass back nextCursor unchanged)");
        }
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + detectedAtMicros + ":" + alertId).getBytes(StandardCharsets.US_ASCII));
    }

    public Timestamp detectedAt() {
        Timestamp t = new Timestamp(Math.floorDiv(detectedAtMicros, 1000));
        t.setNanos((int) Math.floorMod(detectedAtMicros, 1_000_000L) * 1000);
        return t;
    }
}
