package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.BootstrapAdmin;
import io.kuzet.server.api.auth.PasswordHasher;
import io.kuzet.server.config.ConfigException;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.registry.RegistrySnapshot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Generated secrets go to owner-only files under the data directory, never to the log; weak configured tokens are refused. */
class GeneratedSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(logged);
        return logged;
    }

    private static String text(ListAppender<ILoggingEvent> logged) {
        StringBuilder all = new StringBuilder();
        logged.list.forEach(e -> all.append(e.getFormattedMessage()).append('\n'));
        return all.toString();
    }

    private static void assertOwnerOnly(Path file) throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void generatedAdminPasswordGoesOnlyToAnOwnerOnlyFileAndMustBeChangedAtTheFirstLogin() throws Exception {
        try (ApiHarness h = new ApiHarness(dataDir)) {
            h.exec("truncate users restart identity cascade");
            ListAppender<ILoggingEvent> logged = capture(BootstrapAdmin.class);
            AuditLog audit = AuditLog.open(dataDir, Instant::now, h.db.dataSource());
            assertTrue(BootstrapAdmin.ensure(h.db.dataSource(), new PasswordHasher(4), null, dataDir, audit));
            Path file = dataDir.resolve("secrets").resolve("admin-password");
            assertOwnerOnly(file);
            String password = Files.readString(file).strip();
            assertTrue(password.length() >= PasswordHasher.MIN_LENGTH);
            assertFalse(text(logged).contains(password), "the log says where, not what: " + text(logged));
            assertTrue(text(logged).contains(file.toString()), text(logged));

            HttpResponse<String> login = h.send("POST", "/api/v1/auth/login", null,
                    "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
            String token = JSON.readTree(login.body()).get("token").asText();
            assertTrue(JSON.readTree(login.body()).get("user").get("mustChangePassword").asBoolean());
            HttpResponse<String> blocked = h.send("GET", "/api/v1/users", token, null);
            assertEquals(403, blocked.statusCode());
            assertEquals("password_change_required", JSON.readTree(blocked.body()).get("error").asText());
            h.json("POST", "/api/v1/auth/password", token,
                    "{\"currentPassword\":\"" + password + "\",\"newPassword\":\"the admin's own password\"}", 204);
            assertEquals(200, h.send("GET", "/api/v1/users", token, null).statusCode());
            assertOwnerOnly(dataDir.resolve("secrets").resolve("audit.key"));
        }
    }

    @Test
    void generatedLiveTokenIsKeptInAnOwnerOnlyFileAndNeverLogged() throws Exception {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = -1;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = -1;
        config.validate();
        ListAppender<ILoggingEvent> logged = capture(KuzetServer.class);
        String first;
        try (KuzetServer server = KuzetServer.start(config, RegistrySnapshot.empty(), KuzetServer.Options.defaults())) {
            first = server.liveToken();
        }
        String second;
        try (KuzetServer server = KuzetServer.start(config, RegistrySnapshot.empty(), KuzetServer.Options.defaults())) {
            second = server.liveToken();
        }
        Path file = dataDir.resolve("secrets").resolve("live-token");
        assertOwnerOnly(file);
        assertEquals(first, Files.readString(file).strip());
        assertEquals(first, second, "the generated token is reused, not regenerated and re-announced on every start");
        assertEquals(128, first.length() * 4);
        assertFalse(text(logged).contains(first), text(logged));
        assertEquals(1, logged.list.stream().filter(e -> e.getFormattedMessage().contains(file.toString())).count(),
                "the log says once where the token is");
    }

    @Test
    void configuredTokenShorterThan128BitsIsRefusedAtStart() {
        ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("KUZET_LIVE_TOKEN", "load")));
        assertTrue(refused.getMessage().contains("live.token is too weak"), refused.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("KUZET_LIVE_TOKEN", "0123456789abcdef0123456789abcde")),
                "31 hexadecimal digits are 124 bits");
        assertEquals("0123456789abcdef0123456789abcdef",
                ConfigLoader.load(null, Map.of("KUZET_LIVE_TOKEN", "0123456789abcdef0123456789abcdef")).live.token);
    }
}
