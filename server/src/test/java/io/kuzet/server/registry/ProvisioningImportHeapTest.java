package io.kuzet.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import streams: a registry imports in a child JVM given a small {@code -Xmx}. Read whole, the file of 5,000
 * subjects (6 MB of YAML) ran out of heap in {@value #HEAP} (the importer before it streamed); streamed, the import
 * runs in that heap whatever the file's size (100,000 subjects, 118 MB, too). {@code -Dkuzet.provisioningSubjects=100000}
 * measures the large import (its time and peak heap are logged; docs/provisioning.md).
 */
class ProvisioningImportHeapTest {
    private static final String HEAP = "-Xmx32m";

    private Database db;

    @BeforeEach
    void empty() {
        db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
    }

    @Test
    void aLargeRegistryImportsInASmallHeap(@TempDir Path dir) throws Exception {
        int n = Integer.getInteger("kuzet.provisioningSubjects", 5_000);
        Path file = dir.resolve("registry.yaml");
        ProvisioningImporterTest.writeRegistry(file, n, "ALM");
        Path log = dir.resolve("import.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "io.kuzet.server.testing.ProvisioningImportMain", Integer.toString(db.embeddedPort()), file.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(child.waitFor(30, TimeUnit.MINUTES), "import finished");
        } finally {
            child.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, child.exitValue(), "the import in " + HEAP + " of a " + Files.size(file) + "-byte file: " + output);
        org.slf4j.LoggerFactory.getLogger(ProvisioningImportHeapTest.class).info("{} subjects, {} bytes, {}: {}", n,
                Files.size(file), HEAP, output.lines().filter(l -> l.startsWith("imported")).findFirst().orElse(output));
        assertEquals(n, count("select count(*) from subjects"));
        assertEquals(n, count("select count(*) from device_assignments where unassigned_at is null"));
        assertEquals(7L * n, count("select count(*) from schedules"));
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
