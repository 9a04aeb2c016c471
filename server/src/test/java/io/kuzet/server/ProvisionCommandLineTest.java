package io.kuzet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code kuzet --provision FILE} with a bad file says which entry in one line, with no stack trace, and exits non-zero. */
class ProvisionCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedProvisioningFileIsOneLineNamingTheEntryAndANonZeroExit() throws Exception {
        Path bad = dir.resolve("registry.yaml");
        io.kuzet.server.registry.ProvisioningImporterTest.writeRegistry(bad, 10, "ALM");
        Files.writeString(bad, Files.readString(bad).replace("{agency: ALM, externalCaseId: KZ-0000004,",
                "{agency: XYZ, externalCaseId: KZ-0000004,"));
        Path config = dir.resolve("kuzet.yaml");
        Files.writeString(config, """
                server: {dataDir: "%s", bindAddress: 127.0.0.1}
                ports: {kuzet: 0, kuzetTls: -1, gt06: 0, watch: 0, http: 0}
                """.formatted(dir.resolve("data")));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger main = (Logger) LoggerFactory.getLogger(KuzetServerMain.class);
        main.addAppender(logged);
        try {
            int exit = new CommandLine(new KuzetServerMain()).execute("-c", config.toString(), "--provision", bad.toString());
            assertEquals(3, exit);
        } finally {
            main.detachAppender(logged);
        }
        ILoggingEvent error = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElseThrow();
        assertEquals("provisioning file refused, nothing imported: subjects[4] (externalCaseId KZ-0000004): unknown agency XYZ",
                error.getFormattedMessage());
        assertNull(error.getThrowableProxy(), "no stack trace");
    }

    @Test
    void exportRegistryWritesTheRegistryInTheProvisioningFormat() throws Exception {
        Path config = dir.resolve("kuzet.yaml");
        Files.writeString(config, """
                server: {dataDir: "%s", bindAddress: 127.0.0.1}
                ports: {kuzet: 0, kuzetTls: -1, gt06: 0, watch: 0, http: 0}
                """.formatted(dir.resolve("data")));
        Path out = dir.resolve("export.yaml");
        assertEquals(0, new CommandLine(new KuzetServerMain()).execute("-c", config.toString(), "export-registry", out.toString()));
        String yaml = Files.readString(out);
        org.junit.jupiter.api.Assertions.assertTrue(yaml.contains("agencies:") && yaml.contains("subjects:"), yaml);
    }
}
