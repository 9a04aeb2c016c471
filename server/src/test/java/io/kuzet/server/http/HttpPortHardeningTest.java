package io.kuzet.server.http;

import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.LIVE_TOKEN;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.LiveAlertClient;
import io.kuzet.server.testing.RawHttp;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP port as an attacker meets it: the live stream's handshake, floods, idle and oversized requests, HTTPS. */
class HttpPortHardeningTest {
    @TempDir
    Path dataDir;

    @Test
    void webSocketUpgradeWithoutATokenIsNeverSwitchedOnAnyPathVariant() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900))) {
            int port = running.server.httpPort();
            for (String path : List.of("/live", "/live/", "/live/anything", "/api/v1/live/", "/api/v1/live/x", "/api/v1/live//",
                    "/api/v1/alerts/", "/metrics/")) {
                int status = RawHttp.status(port, RawHttp.upgrade(path, ""));
                assertNotEquals(101, status, path + " switched protocols without a token");
                assertTrue(status == 401 || status == 404, path + " answered " + status);
            }
            assertEquals(401, RawHttp.status(port, RawHttp.upgrade("/api/v1/live", "")));
            assertEquals(401, RawHttp.status(port, RawHttp.upgrade("/api/v1/live", "Sec-WebSocket-Protocol: kuzet.v1, kuzet.token.wrong\r\n")));
            assertEquals(0, running.server.live().subscribers());
        }
    }

    @Test
    void liveTokenInTheUrlIsRefusedAndInTheSubprotocolAccepted() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900))) {
            int port = running.server.httpPort();
            assertNotEquals(101, RawHttp.status(port, RawHttp.upgrade("/live?token=" + LIVE_TOKEN, "")));
            assertEquals(400, RawHttp.status(port, RawHttp.upgrade("/api/v1/live?token=" + LIVE_TOKEN, "")));
            assertEquals(101, RawHttp.status(port, RawHttp.upgrade("/api/v1/live",
                    "Sec-WebSocket-Protocol: kuzet.v1, kuzet.token." + LIVE_TOKEN + "\r\n")));
            assertEquals(403, RawHttp.status(port, RawHttp.upgrade("/api/v1/live?kinds=position",
                    "Sec-WebSocket-Protocol: kuzet.v1, kuzet.token." + LIVE_TOKEN + "\r\n")), "the ops token streams alerts only");
        }
    }

    @Test
    void idleHttpConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.http.idleTimeoutS = 1);
             Socket idle = new Socket("127.0.0.1", running.server.httpPort())) {
            assertTrue(RawHttp.closedByServer(idle, 10_000), "an idle connection is closed");
            assertTrue(running.server.meters().scrape().contains("kuzet_http_idle_closed_total 1.0"));
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndCounted() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.http.maxConnections = 4)) {
            int port = running.server.httpPort();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new Socket("127.0.0.1", port));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> running.server.meters().scrape().contains("kuzet_http_connections 4.0"));
                try (Socket fifth = new Socket("127.0.0.1", port)) {
                    assertTrue(RawHttp.closedByServer(fifth, 5_000), "the fifth connection is closed at once");
                }
                assertFalse(RawHttp.closedByServer(held.get(0), 200), "the first four stay open");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> RawHttp.status(port, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n") == 200);
            assertTrue(running.server.meters().scrape().contains("kuzet_http_connections_refused_total 1.0"));
        }
    }

    @Test
    void requestBodyAboveTheAggregationLimitGets413() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.http.maxRequestBytes = 8192)) {
            String body = "x".repeat(20_000);
            assertEquals(413, RawHttp.status(running.server.httpPort(), "POST /api/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body));
        }
    }

    @Test
    void httpFloodDoesNotStopADeviceFromBeingAcked() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.http.maxConnections = 64)) {
            int httpPort = running.server.httpPort();
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong floodRequests = new AtomicLong();
            List<Thread> flood = new ArrayList<>();
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(new Socket("127.0.0.1", httpPort)); // beyond the cap: these are refused and counted
            }
            for (int t = 0; t < 3; t++) {
                Thread thread = new Thread(() -> {
                    while (flooding.get()) {
                        try {
                            RawHttp.status(httpPort, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                            floodRequests.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            floodRequests.incrementAndGet(); // refused by the cap: still load on the port
                        }
                    }
                }, "http-flood-" + t);
                thread.start();
                flood.add(thread);
            }
            try (KuzetTestClient device = new KuzetTestClient(running.server.port(Protocol.KUZET))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> floodRequests.get() > 50);
                assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
                for (int i = 0; i < 20; i++) {
                    long started = System.nanoTime();
                    long seq = device.sendPositions(fixAt(T0 + i * 1000L, 43.3, 76.9, 5));
                    KuzetTestClient.Reply ack = device.read();
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    assertEquals(KuzetMessageType.ACK, ack.type);
                    assertEquals(seq, ack.value);
                    assertTrue(ms < 2_000, "ack took " + ms + " ms under an HTTP flood");
                }
            } finally {
                flooding.set(false);
                for (Thread thread : flood) {
                    thread.join(10_000);
                }
                for (Socket s : held) {
                    s.close();
                }
            }
            assertTrue(floodRequests.get() > 50, "the flood ran: " + floodRequests.get());
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("kuzet-http-io")),
                    "HTTP runs on its own event loop group");
        }
    }

    @Test
    void httpsOnTheHttpPortWhenACertificateIsConfigured() throws Exception {
        X509Bundle certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .setIsCertificateAuthority(true).buildSelfSigned();
        String certFile = certificate.toTempCertChainPem().getAbsolutePath();
        String keyFile = certificate.toTempPrivateKeyPem().getAbsolutePath();
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> {
            c.http.certFile = certFile;
            c.http.keyFile = keyFile;
        })) {
            int port = running.server.httpPort();
            assertTrue(running.server.httpTls());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
            var socket = https.newWebSocketBuilder().subprotocols("kuzet.v1", "kuzet.token." + LIVE_TOKEN)
                    .buildAsync(URI.create("wss://localhost:" + port + "/api/v1/live"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            messages.add(data.toString());
                            ws.request(1);
                            return null;
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            try {
                assertEquals("kuzet.v1", socket.getSubprotocol());
                await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            } finally {
                socket.abort();
            }
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health/live")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP is not served on the HTTPS port");
        }
    }

    @Test
    void opsEndpointsNeedTheOpsTokenOnlyWhenOneIsConfigured() throws Exception {
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> c.http.opsToken = "ops-secret-for-prometheus")) {
            HttpClient client = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + running.server.httpPort() + "/metrics");
            assertEquals(401, client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, client.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer ops-secret-for-prometheus").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        try (RunningServer running = new RunningServer(dataDir.resolve("public"), TestFleet.registry(900));
             LiveAlertClient live = new LiveAlertClient(running.server.httpPort(), LIVE_TOKEN)) {
            assertEquals(200, RawHttp.status(running.server.httpPort(), "GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"));
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.live().subscribers() == 1);
            assertTrue(live.alerts().isEmpty());
        }
    }

    private static SSLContext trusting(X509Bundle bundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(bundle.getCertificatePEM().getBytes(StandardCharsets.US_ASCII)));
        trust.setCertificateEntry("kuzet", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
