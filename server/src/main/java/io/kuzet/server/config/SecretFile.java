package io.kuzet.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A generated secret kept in {@code <dataDir>/secrets/<name>}, created once with owner-only permissions (directory
 * 0700, file 0600) so the log can say where a secret is without saying what it is. Stateless, thread-safe; a file
 * system call or two per use, at startup only.
 */
public final class SecretFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecretFile() {
    }

    /** The secrets directory under the data directory. */
    public static Path dir(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("secrets");
    }

    /** What {@link #readOrCreate} found or made. */
    public record Secret(String value, Path path, boolean created) {
    }

    /**
     * The secret stored under {@code name}, or a new one of {@code randomBytes} random bytes (hexadecimal) written now.
     */
    public static Secret readOrCreate(Path dataDir, String name, int randomBytes) {
        Path file = dir(dataDir).resolve(name);
        try {
            if (Files.exists(file)) {
                return new Secret(Files.readString(file, StandardCharsets.UTF_8).strip(), file, false);
            }
            byte[] raw = new byte[randomBytes];
            RANDOM.nextBytes(raw);
            String value = HexFormat.of().formatHex(raw);
            return new Secret(value, writeNew(dataDir, name, value), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }

    /** Writes {@code value} to a new owner-only file {@code name}; fails if it exists. Returns its path. */
    public static Path writeNew(Path dataDir, String name, String value) throws IOException {
        Path dir = dir(dataDir);
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path file = dir.resolve(name);
        FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(ownerOnly())} : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attrs);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("secret file " + file + " exists already; it is never overwritten", e);
        }
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    private static Set<PosixFilePermission> ownerOnly() {
        return PosixFilePermissions.fromString("rw-------");
    }
}
