package io.kuzet.protocol;

/**
 * Where a fix's horizontal accuracy comes from. Read from {@link Fix#accuracySource()}; the enum constants are
 * shared, so asking allocates nothing.
 */
public enum AccuracySource {
    /** The device reported the accuracy radius in metres. */
    REPORTED,
    /** Derived from the HDOP the device reported ({@link AccuracyEstimate}). */
    ESTIMATED_HDOP,
    /** Estimated from the satellite count of a valid fix ({@link AccuracyEstimate}); GT06 and Watch devices. */
    ESTIMATED_SATELLITES,
    /** Nothing to estimate from: the consumer applies its configured default for the device model. */
    DEFAULT
}
