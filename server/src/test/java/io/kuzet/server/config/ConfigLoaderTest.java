package io.kuzet.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyWithoutAFile() {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        assertEquals(5100, config.ports.kuzet);
        assertEquals(ServerConfig.Durability.PROCESS, config.journal.durability);
        assertEquals("", config.database.url);
    }

    @Test
    void yamlValuesOverrideDefaultsAndEnvironmentOverridesYaml() throws IOException {
        Path file = dir.resolve("kuzet.yaml");
        Files.writeString(file, "journal:\n  durability: fsync\n  fsyncIntervalMs: 5\nports:\n  http: 9090\n");
        ServerConfig config = ConfigLoader.load(file, Map.of("KUZET_PORTS_HTTP", "9191", "KUZET_LIMITS_MAX_FRAME_BYTES", "8192"));
        assertEquals(ServerConfig.Durability.FSYNC, config.journal.durability);
        assertEquals(5, config.journal.fsyncIntervalMs);
        assertEquals(9191, config.ports.http);
        assertEquals(8192, config.limits.maxFrameBytes);
    }

    @Test
    void misspelledSettingIsRefusedWithItsNameAndTheKnownOnes() throws IOException {
        Path file = dir.resolve("kuzet.yaml");
        Files.writeString(file, "journal:\n  durabilty: fsync\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertTrue(e.getMessage().contains("durabilty"), e.getMessage());
        assertTrue(e.getMessage().contains("journal"), e.getMessage());
    }

    @Test
    void invalidValuesAreAllListedInOneMessage() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("KUZET_PORTS_GT06", "70000", "KUZET_LIMITS_IDLE_TIMEOUT_S", "0")));
        assertTrue(e.getMessage().contains("ports.gt06"), e.getMessage());
        assertTrue(e.getMessage().contains("limits.idleTimeoutS"), e.getMessage());
    }

    @Test
    void deviceIoThreadsDefaultToOnePerCoreAndANegativeCountIsRefused() {
        assertEquals(0, ConfigLoader.load(null, Map.of()).server.ioThreads, "0 = one per available core");
        assertEquals(2, ConfigLoader.load(null, Map.of("KUZET_SERVER_IO_THREADS", "2")).server.ioThreads);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("KUZET_SERVER_IO_THREADS", "-1")));
        assertTrue(e.getMessage().contains("server.ioThreads"), e.getMessage());
    }

    @Test
    void nonNumericEnvironmentValueNamesTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("KUZET_PORTS_HTTP", "eighty")));
        assertTrue(e.getMessage().contains("ports.http"), e.getMessage());
    }

    @Test
    void proxyProtocolFromTheEnvironmentNamesTheBalancersAsCidrBlocks() throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of("KUZET_PORTS_PROXY_PROTOCOL", "true",
                "KUZET_PORTS_PROXY_PROTOCOL_FROM", "10.0.0.5/32, 10.0.1.0/28"));
        assertTrue(config.ports.proxyProtocol);
        assertTrue(config.ports.proxyProtocolBalancers().contains(java.net.InetAddress.getByName("10.0.1.9")));
        assertFalse(config.ports.proxyProtocolBalancers().contains(java.net.InetAddress.getByName("10.0.0.6")));
    }

    @Test
    void proxyProtocolWithoutBalancersOrWithABadBlockIsRefused() {
        ConfigException none = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("KUZET_PORTS_PROXY_PROTOCOL", "true")));
        assertTrue(none.getMessage().contains("ports.proxyProtocolFrom must list the balancers"), none.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("KUZET_PORTS_PROXY_PROTOCOL", "true", "KUZET_PORTS_PROXY_PROTOCOL_FROM", "10.0.0.5/33")));
        assertTrue(bad.getMessage().contains("ports.proxyProtocolFrom") && bad.getMessage().contains("10.0.0.5/33"), bad.getMessage());
    }
}
