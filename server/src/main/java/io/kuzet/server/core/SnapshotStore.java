package io.kuzet.server.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files of the evaluation core, one per journal index: {@code core-<index as 16 hex digits>.snap}. A file is
 * written to a temporary name, forced, renamed into place and the directory forced, so a crash leaves either the
 * complete file or none. The file frames the body with a magic number, the format version, its length and a CRC-32C;
 * {@link #read} refuses anything that does not check out, and the caller falls back to an older snapshot. Only the
 * newest {@code keep} snapshots are kept. Thread-safe for one writer thread and readers at start.
 */
final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    static final int MAGIC = 0x4B5A_4353;          // "KZCS"
    static final int FORMAT = 2;
    private static final int HEADER = 4 + 4 + 8 + 8;
    private static final String PREFIX = "core-";
    private static final String SUFFIX = ".snap";

    private final Path directory;
    private final int keep;

    SnapshotStore(Path directory, int keep) {
        this.directory = directory;
        this.keep = Math.max(1, keep);
    }

    Path directory() {
        return directory;
    }

    /** Writes a snapshot taken at {@code journalIndex} atomically, then prunes old ones; returns the file. */
    Path write(long journalIndex, byte[] body) throws IOException {
        Files.createDirectories(directory);
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putInt(MAGIC).putInt(FORMAT).putLong(body.length).putLong(crc.getValue()).flip();
        Path target = directory.resolve(name(journalIndex));
        Path temp = directory.resolve(name(journalIndex) + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer content = ByteBuffer.wrap(body);
            while (header.hasRemaining()) {
                ch.write(header);
            }
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        prune();
        return target;
    }

    /** Snapshot files, newest (highest journal index) first; temporary leftovers are deleted. */
    List<Path> newestFirst() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX + ".tmp")) {
                    Files.deleteIfExists(file);        // a write interrupted by a crash
                } else if (name.endsWith(SUFFIX) && indexOf(file) >= 0) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparingLong(SnapshotStore::indexOf).reversed());
        return files;
    }

    /** The body of a snapshot file, after checking magic, format, length and checksum. */
    static byte[] read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < HEADER) {
            throw new IOException("truncated (" + all.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getInt() != MAGIC) {
            throw new IOException("not a core snapshot");
        }
        int format = b.getInt();
        if (format != FORMAT) {
            throw new IOException("snapshot format " + format + ", this version reads " + FORMAT);
        }
        long length = b.getLong();
        long checksum = b.getLong();
        if (length != all.length - HEADER) {
            throw new IOException("length " + (all.length - HEADER) + " instead of " + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(all, HEADER, all.length - HEADER);
        if (crc.getValue() != checksum) {
            throw new IOException("checksum mismatch");
        }
        byte[] body = new byte[all.length - HEADER];
        System.arraycopy(all, HEADER, body, 0, body.length);
        return body;
    }

    static long indexOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseUnsignedLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()), 16);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static String name(long journalIndex) {
        return PREFIX + String.format("%016x", journalIndex) + SUFFIX;
    }

    private void prune() throws IOException {
        List<Path> files = newestFirst();
        for (int i = keep; i < files.size(); i++) {
            Files.deleteIfExists(files.get(i));
            LOG.debug("deleted old core snapshot {}", files.get(i));
        }
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory for force; the rename is still atomic
            LOG.debug("cannot force directory {}: {}", directory, e.getMessage());
        }
    }
}
