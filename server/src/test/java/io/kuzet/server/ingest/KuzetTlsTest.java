package io.kuzet.server.ingest;

import static io.kuzet.server.testing.Fixes.fixAt;
import static io.kuzet.server.testing.RunningServer.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kuzet TLS port with a freshly generated self-signed certificate: login and acks work; an untrusting client is refused. */
class KuzetTlsTest {
    @TempDir
    Path dataDir;

    @Test
    void deviceTrustingTheServerCertificateLogsInAndIsAckedOverTls() throws Exception {
        X509Bundle certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .setIsCertificateAuthority(true).buildSelfSigned();
        String certFile = certificate.toTempCertChainPem().getAbsolutePath();
        String keyFile = certificate.toTempPrivateKeyPem().getAbsolutePath();
        try (RunningServer running = new RunningServer(dataDir, TestFleet.registry(900), c -> {
            c.ports.kuzetTls = 0;
            c.tls.certFile = certFile;
            c.tls.keyFile = keyFile;
        })) {
            int port = running.server.tlsPort();
            try (KuzetTestClient device = new KuzetTestClient(tlsSocket(port, trusting(certificate)))) {
                assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
                long seq = device.sendPositions(fixAt(T0, 43.3, 76.9, 5));
                KuzetTestClient.Reply ack = device.read();
                assertEquals(KuzetMessageType.ACK, ack.type);
                assertEquals(seq, ack.value);
            }
            SSLContext defaultTrust = SSLContext.getInstance("TLS");
            defaultTrust.init(null, null, null);
            assertThrows(SSLHandshakeException.class, () -> tlsSocket(port, defaultTrust).startHandshake());
        }
    }

    private static SSLContext trusting(X509Bundle bundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(bundle.getCertificatePEM().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        trust.setCertificateEntry("kuzet", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static SSLSocket tlsSocket(int port, SSLContext context) throws Exception {
        Socket plain = new Socket("127.0.0.1", port);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.setSoTimeout(10_000);
        return tls;
    }
}
