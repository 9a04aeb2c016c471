package io.kuzet.server.ingest.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.kuzet.KuzetLoginStatus;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.metrics.IngestMetrics.ConnectionRefusal;
import io.kuzet.server.registry.AgencyRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.SourceNetworks;
import io.kuzet.server.testing.Gt06Wire;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol on the device ports over real sockets (docs/device-trust.md, "Behind a load balancer"). The test
 * client plays the balancer from 127.0.0.1 ({@code ports.proxyProtocolFrom: 127.0.0.1/32}) and writes the header bytes
 * itself, laid out as the PROXY protocol specification says, then the device's own frames. The devices are allowed
 * only from 10.20.0.0/16, so a login that passes proves the header's address was checked, not the TCP peer's.
 * Netty's leak detector runs PARANOID in tests; every test ends by asserting it reported nothing.
 */
class ProxyProtocolOverSocketsTest {
    private static final SourceNetworks DEVICE_NETWORK = SourceNetworks.parse(List.of("10.20.0.0/16"));
    private static final String INSIDE = "10.20.0.7";
    private static final String OUTSIDE = "192.0.2.9";
    private static final String NODE = "10.0.0.11";

    @TempDir
    Path dataDir;
    RunningServer running;
    private final ListAppender<ILoggingEvent> leaks = new ListAppender<>();
    private final Logger leakLog = (Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");

    @BeforeEach
    void watchForLeaks() {
        leaks.start();
        leakLog.addAppender(leaks);
    }

    @AfterEach
    void stopAndCheckForLeaks() {
        if (running != null) {
            running.close();
        }
        // A leak is reported when a later allocation of the same kind finds the collected, unreleased object.
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100); // the collector enqueues the dead objects' references on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            Unpooled.buffer(64).release();
            new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4,
                    INSIDE, NODE, 1, 2).release();
        }
        leakLog.detachAppender(leaks);
        List<String> reported = leaks.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("LEAK")).toList();
        assertEquals(List.of(), reported, "Netty's PARANOID leak detector reported leaks");
    }

    private void start(Consumer<ServerConfig> customise) throws InterruptedException {
        RegistrySnapshot base = TestFleet.registry(900);
        List<DeviceRecord> devices = new ArrayList<>();
        for (DeviceRecord d : base.devices()) {
            devices.add(new DeviceRecord(d.id(), d.protocol(), d.deviceNumber(), d.secretKey(), d.role(), d.subjectId(), DEVICE_NETWORK));
        }
        List<AgencyRecord> agencies = List.of(base.agency(TestFleet.AGENCY));
        running = new RunningServer(dataDir, new RegistrySnapshot(2, agencies, base.subjects(), base.orders(), devices,
                List.of(base.zone(TestFleet.ZONE)), base.rules(TestFleet.ORDER)), c -> {
            c.ports.proxyProtocol = true;
            c.ports.proxyProtocolFrom = "127.0.0.1/32, 10.0.0.0/29";
            customise.accept(c);
        });
    }

    private void startBehindBalancer() throws InterruptedException {
        start(c -> { });
    }

    private IngestMetrics metrics() {
        return running.server.ingestMetrics();
    }

    @Test
    void kuzetDeviceBehindTheBalancerIsCheckedAgainstItsSourceNetworkByTheAddressInItsProxyV2Header() throws Exception {
        startBehindBalancer();
        try (KuzetTestClient device = new KuzetTestClient(viaBalancer(Protocol.KUZET, proxyV2(INSIDE, 40001)))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status, "inside 10.20.0.0/16: accepted");
        }
        try (KuzetTestClient device = new KuzetTestClient(viaBalancer(Protocol.KUZET, proxyV2(OUTSIDE, 40002)))) {
            assertEquals(KuzetLoginStatus.NOT_ALLOWED, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status,
                    "outside the device's networks: refused, although the TCP peer is the same balancer");
            assertTrue(device.closedByServer());
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
        assertEquals(0.0, metrics().connectionsRefused(Protocol.KUZET, ConnectionRefusal.PROXY_HEADER_MISSING));
    }

    @Test
    void kuzetTlsPortReadsTheHeaderBeforeTheTlsHandshake() throws Exception {
        X509Bundle certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .setIsCertificateAuthority(true).buildSelfSigned();
        String certFile = certificate.toTempCertChainPem().getAbsolutePath();
        String keyFile = certificate.toTempPrivateKeyPem().getAbsolutePath();
        start(c -> {
            c.ports.kuzetTls = 0;
            c.tls.certFile = certFile;
            c.tls.keyFile = keyFile;
        });
        SSLContext trusting = trusting(certificate);
        try (KuzetTestClient device = new KuzetTestClient(tlsViaBalancer(trusting, proxyV2(INSIDE, 40011)))) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status, "inside 10.20.0.0/16, over TLS");
        }
        try (KuzetTestClient device = new KuzetTestClient(tlsViaBalancer(trusting, proxyV2(OUTSIDE, 40012)))) {
            assertEquals(KuzetLoginStatus.NOT_ALLOWED, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
    }

    @Test
    void gt06DeviceBehindTheBalancerIsReadFromAProxyV1Header() throws Exception {
        startBehindBalancer();
        try (Socket socket = viaBalancer(Protocol.GT06, proxyV1(INSIDE, 40003))) {
            write(socket, gt06Login());
            assertEquals(0x01, Gt06Wire.readReply(socket.getInputStream())[3], "login acknowledged");
        }
        try (Socket socket = viaBalancer(Protocol.GT06, proxyV1(OUTSIDE, 40004))) {
            write(socket, gt06Login());
            assertEquals(-1, socket.getInputStream().read(), "refused: the device's own address is outside its networks");
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
    }

    @Test
    void proxyHeaderFromAnAddressThatIsNotABalancerIsRefusedAndCounted() throws Exception {
        start(c -> c.ports.proxyProtocolFrom = "10.0.0.0/29"); // 127.0.0.1, the test client, is no balancer now
        try (Socket socket = viaBalancer(Protocol.KUZET, proxyV2(INSIDE, 40005))) {
            assertEquals(-1, socket.getInputStream().read(), "a device claiming another address is cut at once");
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                metrics().connectionsRefused(Protocol.KUZET, ConnectionRefusal.PROXY_HEADER_NOT_ALLOWED) == 1.0);
        assertEquals(0, metrics().devicesConnected(Protocol.KUZET));
    }

    @Test
    void directDeviceFromAnAddressThatIsNotABalancerStillConnectsWithoutAHeader() throws Exception {
        start(c -> c.ports.proxyProtocolFrom = "10.0.0.0/29");
        try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
            assertEquals(KuzetLoginStatus.NOT_ALLOWED, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status,
                    "its frames reach the session unchanged; its TCP address 127.0.0.1 is outside 10.20.0.0/16");
        }
        assertEquals(1.0, metrics().loginsRefused(Protocol.KUZET, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED));
        assertEquals(0.0, metrics().connectionsRefused(Protocol.KUZET, ConnectionRefusal.PROXY_HEADER_NOT_ALLOWED));
    }

    @Test
    void connectionFromTheBalancerWithoutAProxyHeaderIsRefusedAndCounted() throws Exception {
        startBehindBalancer();
        try (Socket socket = viaBalancer(Protocol.GT06, new byte[0])) {
            write(socket, gt06Login());
            assertEquals(-1, socket.getInputStream().read(), "no login answer: the connection is closed");
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                metrics().connectionsRefused(Protocol.GT06, ConnectionRefusal.PROXY_HEADER_MISSING) == 1.0);
        assertEquals(0.0, metrics().loginsRefused(Protocol.GT06, IngestMetrics.LoginRefusal.SOURCE_NOT_ALLOWED), "never reached login");
    }

    @Test
    void malformedProxyHeaderFromTheBalancerIsRefusedAndCounted() throws Exception {
        startBehindBalancer();
        try (Socket socket = viaBalancer(Protocol.WATCH, "PROXY TCP4 not-an-address 10.0.0.11 1 2\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertEquals(-1, socket.getInputStream().read());
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                metrics().connectionsRefused(Protocol.WATCH, ConnectionRefusal.PROXY_HEADER_MISSING) == 1.0);
    }

    @Test
    void perAddressLimitCountsDevicesBehindTheBalancerByTheirOwnAddress() throws Exception {
        start(c -> c.limits.maxConnectionsPerAddress = 1);
        try (Socket first = viaBalancer(Protocol.KUZET, proxyV2(INSIDE, 40006));
             Socket second = viaBalancer(Protocol.KUZET, proxyV2("10.20.0.8", 40007))) {
            await("two devices behind one balancer both open").atMost(Duration.ofSeconds(5))
                    .until(() -> openConnections(Protocol.KUZET) == 2);
            try (Socket third = viaBalancer(Protocol.KUZET, proxyV2(INSIDE, 40008))) {
                assertEquals(-1, third.getInputStream().read(), "a second connection from 10.20.0.7 exceeds the limit of 1");
            }
            assertEquals(1.0, metrics().connectionsRefused(Protocol.KUZET, ConnectionRefusal.PER_ADDRESS_LIMIT));
        }
    }

    @Test
    void duplicateSessionAlertNamesTheDevicesAddressesNotTheBalancers() throws Exception {
        startBehindBalancer();
        try (LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), RunningServer.LIVE_TOKEN);
             KuzetTestClient first = new KuzetTestClient(viaBalancer(Protocol.KUZET, proxyV2(INSIDE, 40009)));
             KuzetTestClient second = new KuzetTestClient(viaBalancer(Protocol.KUZET, proxyV2("10.20.0.8", 40010)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            assertEquals(0, first.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            assertEquals(0, second.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            await().atMost(Duration.ofSeconds(10)).until(() -> live.alerts("DUPLICATE_SESSION", "RAISED").size() == 1);
            JsonNode alert = live.alerts("DUPLICATE_SESSION", "RAISED").get(0);
            String explanation = alert.get("explanation").asText();
            assertTrue(explanation.contains(INSIDE + ":40009") && explanation.contains("10.20.0.8:40010"), explanation);
            assertTrue(!explanation.contains("127.0.0.1"), explanation);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private double openConnections(Protocol protocol) {
        return running.server.meters().get("kuzet_connections_open").tag("protocol", protocol.label()).gauge().value();
    }

    /** A connection to a device port from 127.0.0.1 that starts with {@code header}. */
    private Socket viaBalancer(Protocol protocol, byte[] header) throws IOException {
        Socket socket = new Socket("127.0.0.1", running.server.port(protocol));
        socket.setSoTimeout(10_000);
        write(socket, header);
        return socket;
    }

    /** A TLS connection to the Kuzet TLS port from 127.0.0.1 whose first bytes, before the handshake, are {@code header}. */
    private SSLSocket tlsViaBalancer(SSLContext context, byte[] header) throws Exception {
        int port = running.server.tlsPort();
        Socket plain = new Socket("127.0.0.1", port);
        write(plain, header);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.setSoTimeout(10_000);
        return tls;
    }

    private static SSLContext trusting(X509Bundle bundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(bundle.getCertificatePEM().getBytes(StandardCharsets.US_ASCII)));
        trust.setCertificateEntry("kuzet", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * A PROXY protocol v2 header for TCP over IPv4:
     * <pre>
     *   0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A   signature
     *   21                                     version 2, command PROXY
     *   11                                     AF_INET, STREAM
     *   00 0C                                  12 bytes of addresses follow
     *   src addr (4) | dst addr (4) | src port (2) | dst port (2)
     * </pre>
     */
    static byte[] proxyV2(String sourceIp, int sourcePort) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(InetAddress.getByName(sourceIp).getAddress()).put(InetAddress.getByName(NODE).getAddress());
        b.putShort((short) sourcePort).putShort((short) 5100);
        return b.array();
    }

    /** A PROXY protocol v1 header: {@code PROXY TCP4 <src> <dst> <srcport> <dstport>\r\n}. */
    static byte[] proxyV1(String sourceIp, int sourcePort) {
        return ("PROXY TCP4 " + sourceIp + " " + NODE + " " + sourcePort + " 5023\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gt06Login() {
        ByteBuf login = Unpooled.buffer();
        Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
        return Gt06Wire.bytes(login);
    }

    private static void write(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }
}
