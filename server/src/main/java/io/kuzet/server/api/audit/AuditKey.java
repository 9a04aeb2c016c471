package io.kuzet.server.api.audit;

import io.kuzet.server.config.SecretFile;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The key of the audit chain, kept outside the database: from the environment ({@code KUZET_AUDIT_KEY}, 64
 * hexadecimal digits) or else the file {@code <dataDir>/secrets/audit.key}, created 0600 with 32 random bytes at
 * the first start. Back it up with the database backups: without it the chain cannot be verified. Immutable.
 *
 * @param bytes   the key
 * @param source  where it came from (for the log; never the key itself)
 * @param created true when the file was created by this start (the chain's first keyed use)
 */
public record AuditKey(byte[] bytes, String source, boolean created) {
    public static final String ENV = "KUZET_AUDIT_KEY";
    static final String FILE = "audit.key";

    /** The key from {@code configuredHex} when not blank, else from (or into) the data directory's secret file. */
    public static AuditKey load(Path dataDir, String configuredHex) {
        if (configuredHex != null && !configuredHex.isBlank()) {
            return new AuditKey(parse(configuredHex.strip(), ENV), "environment " + ENV, false);
        }
        SecretFile.Secret s = SecretFile.readOrCreate(dataDir, FILE, 32);
        return new AuditKey(parse(s.value(), s.path().toString()), "file " + s.path(), s.created());
    }

    private static byte[] parse(String hex, String where) {
        byte[] key;
        try {
            key = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit key in " + where + " must be hexadecimal (64 digits)");
        }
        if (key.length < 16) {
            throw new IllegalStateException("the audit key in " + where + " has " + key.length * 8
                    + " bits; at least 128 are required (64 hexadecimal digits recommended)");
        }
        return key;
    }
}
