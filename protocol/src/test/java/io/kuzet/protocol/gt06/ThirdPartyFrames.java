package io.kuzet.protocol.gt06;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the third-party vector file format ({@code [protocol] name} followed by {@code frame:}, {@code crc:},
 * {@code decoded:}, {@code pos:} and {@code response:} lines) from a test resource.
 */
public final class ThirdPartyFrames {
    private static final Pattern POS = Pattern.compile(
            "fix=(\\S+) valid=(\\S+) lat=(\\S+) lon=(\\S+) speedKn=(\\S+) course=(\\d+) alt=(\\S+) outdated=\\S+ attrs=\\{(.*)}");

    /** One expected position as printed by the reference decoder. */
    public record Position(String fixTime, boolean valid, double lat, double lon, double speedKnots, int courseDeg,
                           int altitudeM, Map<String, String> attrs) {
        public boolean hasFix() {
            return !"null".equals(fixTime);
        }
    }

    /** One vector: the frame text, whether the file flags its CRC as wrong, and the expected outcome. */
    public record Entry(String protocol, String name, String frame, boolean crcMismatch, boolean decodedNull,
                        List<Position> positions, String response) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ThirdPartyFrames() {
    }

    public static List<Entry> load(String resource) {
        try (InputStream in = ThirdPartyFrames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String protocol = null;
        String name = null;
        String frame = null;
        boolean crcMismatch = false;
        boolean decodedNull = false;
        List<Position> positions = new ArrayList<>();
        String response = null;
        for (String raw : (text + "\n[end] end").split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                if (protocol != null) {
                    entries.add(new Entry(protocol, name, frame, crcMismatch, decodedNull, List.copyOf(positions), response));
                }
                int close = line.indexOf(']');
                protocol = line.substring(1, close);
                name = line.substring(close + 1).strip();
                frame = null;
                crcMismatch = false;
                decodedNull = false;
                positions.clear();
                response = null;
            } else if (line.startsWith("frame:")) {
                frame = line.substring(6).strip();
            } else if (line.startsWith("crc:")) {
                crcMismatch = line.contains("MISMATCH");
            } else if (line.startsWith("decoded:")) {
                decodedNull = line.endsWith("null");
            } else if (line.startsWith("pos:")) {
                positions.add(position(line.substring(4).strip()));
            } else if (line.startsWith("response:")) {
                response = unquote(line.substring(9).strip());
            }
        }
        return entries;
    }

    private static Position position(String text) {
        Matcher m = POS.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("unparsable pos line: " + text);
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String pair : m.group(8).split(", ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                attrs.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new Position(m.group(1), Boolean.parseBoolean(m.group(2)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Integer.parseInt(m.group(6)),
                Integer.parseInt(m.group(7)), attrs);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
