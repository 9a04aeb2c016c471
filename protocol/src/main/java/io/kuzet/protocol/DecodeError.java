package io.kuzet.protocol;

/**
 * Why a frame was refused. The server counts refusals by this reason (metric label {@link #label()}),
 * so the set is closed and every decoder maps its failures into it.
 */
public enum DecodeError {
    BAD_CRC("bad_crc"),
    TRUNCATED("truncated"),
    OVERSIZED("oversized"),
    BAD_FRAMING("bad_framing"),          // start marker, terminator or length field inconsistent
    UNSUPPORTED_VERSION("unsupported_version"),
    UNKNOWN_TYPE("unknown_type"),
    BAD_FIELD("bad_field"),              // a field value the spec does not allow
    COORDINATE_OUT_OF_RANGE("coordinate_out_of_range"),
    TIME_OUT_OF_RANGE("time_out_of_range"),
    BAD_MAC("bad_mac");                  // frame authentication tag missing, wrong, replayed or out of order

    private final String label;

    DecodeError(String label) {
        this.label = label;
    }

    /** Lower-case name used as a metric label value. */
    public String label() {
        return label;
    }
}
