package io.kuzet.server.testing;

import io.kuzet.server.registry.ProvisioningImporter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Imports a provisioning file in a child JVM, so that a test can give the import a heap of its own ({@code -Xmx}):
 * args are the embedded PostgreSQL's port and the file. Prints {@code imported in <ms> ms, peak heap <MiB> MiB} (the
 * sum of the heap pools' peak usage) and exits 0, or exits non-zero (an {@link OutOfMemoryError} among others).
 */
public final class ProvisioningImportMain {
    private ProvisioningImportMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://localhost:" + args[0] + "/postgres?user=postgres");
        long started = System.nanoTime();
        new ProvisioningImporter(dataSource).importFile(Path.of(args[1]));
        long ms = (System.nanoTime() - started) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("imported in " + ms + " ms, peak heap " + peak / (1024 * 1024) + " MiB");
    }
}
