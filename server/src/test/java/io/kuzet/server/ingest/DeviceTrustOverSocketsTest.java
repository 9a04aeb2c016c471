package io.kuzet.server.ingest;

import io.kuzet.server.testing.Gt06Wire;
import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.Crc32c;
import io.kuzet.protocol.kuzet.KuzetLoginStatus;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.protocol.kuzet.KuzetNackReason;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.registry.AgencyRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.SourceNetworks;
import io.kuzet.server.testing.Fixes;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device trust over real sockets (docs/device-trust.md): a connection keeps its identity, a second session of a device
 * is counted and alerted, source networks are enforced at login, Kuzet frames after login are authenticated, and a
 * refused Kuzet login does not say whether the device exists.
 */
class DeviceTrustOverSocketsTest {
    private static final long SECOND_GT06_IMEI = 865_000_000_000_002L;

    @TempDir
    Path dataDir;
    RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private void start(RegistrySnapshot registry, Consumer<ServerConfig> customise) throws InterruptedException {
        running = new RunningServer(dataDir, registry, customise);
    }

    private void start() throws InterruptedException {
        start(fleetWith(new ArrayList<>(), TestFleet.registry(900)), c -> { });
    }

    /** The test fleet plus a second, unassigned GT06 bracelet, with the given extra devices replacing same ids. */
    private static RegistrySnapshot fleetWith(List<DeviceRecord> replacements, RegistrySnapshot base) {
        List<DeviceRecord> devices = new ArrayList<>(replacements);
        for (DeviceRecord d : base.devices()) {
            if (replacements.stream().noneMatch(r -> r.id() == d.id())) {
                devices.add(d);
            }
        }
        devices.add(new DeviceRecord(1003, "gt06", SECOND_GT06_IMEI, null, DeviceRole.BRACELET, 0));
        return new RegistrySnapshot(2, agencies(base), base.subjects(), base.orders(), devices,
                List.of(base.zone(TestFleet.ZONE)), base.rules(TestFleet.ORDER));
    }

    private static List<AgencyRecord> agencies(RegistrySnapshot base) {
        return List.of(base.agency(TestFleet.AGENCY));
    }

    private IngestMetrics metrics() {
        return running.server.ingestMetrics();
    }

    // ---- hole 8: IMEI-only devices ------------------------------------------------------------------------------

    @Test
    void gt06ConnectionCannotSwitchToAnotherImeiMidway() throws Exception {
        start();
        try (Socket socket = gt06()) {
            write(socket, gt06Login(TestFleet.GT06_IMEI, 1));
            assertEquals(0x01, Gt06Wire.readReply(socket.getInputStream())[3]);
            write(socket, gt06Login(SECOND_GT06_IMEI, 2));          // a registered IMEI, but not this connection's
            write(socket, gt06Location(3));
            assertEquals(-1, socket.getInputStream().read(), "the connection is closed, no reply to the second login");
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.IDENTITY_SWITCH));
        assertTrue(running.journaledMessages().stream().noneMatch(m -> m[0] == 1003), "nothing filed under the second IMEI");
    }

    @Test
    void watchConnectionCannotSwitchToAnotherDeviceIdMidway() throws Exception {
        start();
        try (Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.WATCH))) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("[3G*" + TestFleet.WATCH_NUMBER + "*0002*LK]").getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().read(new byte[64]);
            socket.getOutputStream().write("[3G*9999999999*0002*LK]".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> closedOrEof(socket));
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.WATCH, IngestMetrics.LoginRefusal.IDENTITY_SWITCH));
    }

    @Test
    void secondGt06LoginOfAConnectedImeiIsRefusedByDefaultAndRaisesADuplicateSessionAlert() throws Exception {
        start();
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             Socket genuine = gt06(); Socket spoofer = gt06()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            write(genuine, gt06Login(TestFleet.GT06_IMEI, 1));
            assertEquals(0x01, Gt06Wire.readReply(genuine.getInputStream())[3]);
            write(spoofer, gt06Login(TestFleet.GT06_IMEI, 1));
            assertEquals(-1, spoofer.getInputStream().read(), "the newcomer is refused (duplicateSessionGt06: refuse)");
            write(genuine, gt06Location(2));
            assertEquals(0x12, Gt06Wire.readReply(genuine.getInputStream())[3], "the connected device goes on");

            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("DUPLICATE_SESSION", "RAISED").size() == 1);
            JsonNode alert = live.alerts("DUPLICATE_SESSION", "RAISED").get(0);
            assertEquals(Long.toString(TestFleet.GT06_IMEI), alert.get("deviceNumber").asText());
            String explanation = alert.get("explanation").asText();
            assertTrue(explanation.contains(genuine.getLocalSocketAddress().toString().replace("/", ""))
                    || explanation.contains(Integer.toString(genuine.getLocalPort())), explanation);
            assertTrue(explanation.contains(Integer.toString(spoofer.getLocalPort())), explanation);
        }
        assertEquals(1.0, metrics().duplicateSessions(Protocol.GT06, IngestMetrics.DuplicateSessionOutcome.REFUSED));
        assertEquals(1.0, metrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.DUPLICATE_SESSION));
    }

    @Test
    void secondGt06LoginReplacesTheFirstWhenConfiguredSo() throws Exception {
        start(fleetWith(new ArrayList<>(), TestFleet.registry(900)),
                c -> c.deviceTrust.duplicateSessionGt06 = ServerConfig.DuplicateSessionPolicy.REPLACE);
        try (Socket first = gt06(); Socket second = gt06()) {
            write(first, gt06Login(TestFleet.GT06_IMEI, 1));
            Gt06Wire.readReply(first.getInputStream());
            write(second, gt06Login(TestFleet.GT06_IMEI, 1));
            assertEquals(0x01, Gt06Wire.readReply(second.getInputStream())[3]);
            assertEquals(-1, first.getInputStream().read(), "the earlier connection is closed");
        }
        assertEquals(1.0, metrics().duplicateSessions(Protocol.GT06, IngestMetrics.DuplicateSessionOutcome.REPLACED));
    }

    @Test
    void secondKuzetLoginReplacesTheFirstByDefaultAndIsAlerted() throws Exception {
        start();
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             KuzetTestClient first = new KuzetTestClient(kuzetPort());
             KuzetTestClient second = new KuzetTestClient(kuzetPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            assertEquals(0, first.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            assertEquals(0, second.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            assertTrue(first.closedByServer());
            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("DUPLICATE_SESSION", "RAISED").size() == 1);
        }
        assertEquals(1.0, metrics().duplicateSessions(Protocol.KUZET, IngestMetrics.DuplicateSessionOutcome.REPLACED));
    }

    @Test
    void loginFromASourceOutsideTheDevicesAllowedNetworksIsRefusedBeforeAnythingIsJournaled() throws Exception {
        SourceNetworks elsewhere = SourceNetworks.parse(List.of("10.20.0.0/16", "2001:db8::/32"));
        RegistrySnapshot base = TestFleet.registry(900);
        start(fleetWith(List.of(
                new DeviceRecord(TestFleet.GT06_DEVICE, "gt06", TestFleet.GT06_IMEI, null, DeviceRole.BRACELET, TestFleet.SUBJECT, elsewhere),
                new DeviceRecord(TestFleet.KUZET_DEVICE, "kuzet", TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY, DeviceRole.BRACELET,
                        TestFleet.SUBJECT, elsewhere)), base), c -> { });
        try (Socket socket = gt06()) {
            write(socket, gt06Login(TestFleet.GT06_IMEI, 1));
            write(socket, gt06Location(2));
            assertEquals(-1, socket.getInputStream().read());
        }
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(KuzetLoginStatus.NOT_ALLOWED, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
        assertEquals(0, running.journaledMessages().size());
    }

    @Test
    void agencyNetworksApplyToItsDevicesAndAnInsideSourceIsAccepted() throws Exception {
        RegistrySnapshot base = TestFleet.registry(900);
        AgencyRecord loopbackOnly = new AgencyRecord(TestFleet.AGENCY, "ALM", "Almaty probation", "Almaty",
                SourceNetworks.parse(List.of("127.0.0.0/8", "::1/128")));
        start(new RegistrySnapshot(2, List.of(loopbackOnly), base.subjects(), base.orders(), base.devices(),
                List.of(base.zone(TestFleet.ZONE)), base.rules(TestFleet.ORDER)), c -> { });
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
        }
        assertEquals(0.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
    }

    // ---- hole 9: Kuzet frames after login ------------------------------------------------------------------------

    @Test
    void kuzetFrameAlteredAfterLoginIsRefusedWithBadMacCountedAndTheSessionClosed() throws Exception {
        start();
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            long seq = device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(seq, device.read().value);
            // what a man in the middle does: move the fix 0.1 degree and fix up the CRC, which protects nothing
            byte[] frame = device.sealedPositionsFrame(fixAt(T0 + 60_000, 43.30, 76.90, 8));
            frame[10 + 1 + 8 + 2] ^= 0x10;
            refreshCrc(frame);
            device.sendRaw(frame);
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetMessageType.NACK, nack.type);
            assertEquals(KuzetNackReason.BAD_MAC.code(), nack.status);
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, metrics().decodeErrors(Protocol.KUZET, DecodeError.BAD_MAC));
        assertEquals(1, running.journaledMessages().size(), "only the genuine frame is stored");
    }

    @Test
    void kuzetFrameReplayedOnTheSameSessionIsRefused() throws Exception {
        start();
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            device.read();
            device.sendRaw(device.lastSentFrame());
            KuzetTestClient.Reply nack = device.read();
            assertEquals(KuzetNackReason.BAD_MAC.code(), nack.status);
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, metrics().decodeErrors(Protocol.KUZET, DecodeError.BAD_MAC));
        assertEquals(1, running.journaledMessages().size());
    }

    @Test
    void kuzetFrameInjectedUntaggedIntoAnAuthenticatedSessionIsRefused() throws Exception {
        start();
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            ByteBuf plain = Unpooled.buffer();
            io.kuzet.protocol.kuzet.KuzetEncoder.writePositionBatch(plain, 1, fixAt(T0, 43.30, 76.90, 8));
            byte[] bytes = new byte[plain.readableBytes()];
            plain.readBytes(bytes);
            plain.release();
            device.sendRaw(bytes);
            assertEquals(KuzetNackReason.BAD_MAC.code(), device.read().status);
            assertTrue(device.closedByServer());
        }
        assertEquals(0, running.journaledMessages().size());
    }

    @Test
    void kuzetLoginWithoutFrameMacIsRefusedWhileTheServerRequiresIt() throws Exception {
        start();
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(KuzetLoginStatus.NOT_ALLOWED,
                    device.loginWithoutFrameMac(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.FRAME_MAC_REQUIRED));
    }

    @Test
    void kuzetLoginWithoutFrameMacIsAcceptedWhenTheSettingAllowsIt() throws Exception {
        start(fleetWith(new ArrayList<>(), TestFleet.registry(900)), c -> c.deviceTrust.kuzetRequireFrameMac = false);
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            assertEquals(0, device.loginWithoutFrameMac(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            long seq = device.sendPositions(fixAt(T0, 43.30, 76.90, 8));
            assertEquals(seq, device.read().value);
        }
    }

    // ---- hole 10: enumeration ------------------------------------------------------------------------------------

    @Test
    void unknownDeviceAndBadHmacGetByteIdenticalAnswers() throws Exception {
        start();
        byte[] unknown;
        byte[] badHmac;
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            KuzetTestClient.Reply reply = device.login(999_999_999L, TestFleet.KUZET_KEY);
            unknown = reply.bytes;
            assertTrue(device.closedByServer());
        }
        try (KuzetTestClient device = new KuzetTestClient(kuzetPort())) {
            KuzetTestClient.Reply reply = device.login(TestFleet.KUZET_NUMBER, "not-the-key".getBytes(StandardCharsets.UTF_8));
            badHmac = reply.bytes;
            assertTrue(device.closedByServer());
        }
        assertArrayEquals(badHmac, unknown);
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.UNKNOWN_DEVICE),
                "the server still knows the difference");
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.BAD_HMAC));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private int kuzetPort() {
        return running.server.port(Protocol.KUZET);
    }

    private Socket gt06() throws Exception {
        Socket socket = new Socket("127.0.0.1", running.server.port(Protocol.GT06));
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static boolean closedOrEof(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static byte[] gt06Login(long imei, int serial) {
        ByteBuf login = Unpooled.buffer();
        Gt06Encoder.writeLogin(login, imei, serial);
        return Gt06Wire.bytes(login);
    }

    private static byte[] gt06Location(int serial) {
        DeviceMessage msg = Fixes.fixAt(T0, 43.30, 76.90, 10);
        Fix fix = msg.fix(0);
        ByteBuf location = Unpooled.buffer();
        Gt06Encoder.writeLocation0x12(location, fix, serial);
        return Gt06Wire.bytes(location);
    }

    private static void write(Socket socket, byte[] bytes) throws Exception {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }


    private static void refreshCrc(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        int crc = Crc32c.of(buf, 0, frame.length - 4);
        ByteBuffer.wrap(frame).putInt(frame.length - 4, crc);
    }
}
