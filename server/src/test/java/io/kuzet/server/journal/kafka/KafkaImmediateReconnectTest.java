package io.kuzet.server.journal.kafka;

import static io.kuzet.server.testing.Fixes.fixAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.gt06.Gt06Encoder;
import io.kuzet.protocol.watch.WatchEncoder;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.Gt06Wire;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.SharedKafka;
import io.kuzet.server.testing.TestFleet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnect window (docs/scale-out.md): two Kuzet nodes on one Kafka topic (real in-process broker). A device sends
 * through one node, loses the connection before it could free its buffer, reconnects AT ONCE to the other node and
 * resends. The other node learns the first node's appends only by reading the topic, so without waiting for it at login
 * the retransmission was appended, and stored, a second time. Ten rounds per protocol (Kuzet, GT06, Watch), alternating
 * the nodes, so that the window is hit whatever the machine's load.
 */
class KafkaImmediateReconnectTest {
    private static final long T0 = RunningServer.T0;
    private static final int ROUNDS = 10;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void aRetransmissionThatReachesTheOtherNodeAtOnceIsStoredOnceForEveryProtocol() throws Exception {
        String topic = SharedKafka.uniqueTopic("kuzet-immediate-reconnect");
        Consumer<ServerConfig> kafka = c -> {
            c.journal.kind = ServerConfig.JournalKind.KAFKA;
            c.kafka.bootstrapServers = SharedKafka.bootstrapServers();
            c.kafka.topic = topic;
            c.kafka.partitions = 3;
            c.kafka.replicationFactor = 1;
            c.kafka.minInsyncReplicas = 1;
            // the load balancer may hand the reconnection back to a node that has not yet seen the old connection close
            c.deviceTrust.duplicateSessionGt06 = ServerConfig.DuplicateSessionPolicy.REPLACE;
            c.deviceTrust.duplicateSessionWatch = ServerConfig.DuplicateSessionPolicy.REPLACE;
        };
        List<Long> loginResults = new ArrayList<>();
        try (RunningServer nodeA = new RunningServer(dirA, TestFleet.registry(900), kafka);
             RunningServer nodeB = new RunningServer(dirB, TestFleet.registry(900), kafka)) {
            RunningServer[] nodes = {nodeA, nodeB};
            for (int round = 0; round < ROUNDS; round++) {
                RunningServer first = nodes[round % 2];
                RunningServer other = nodes[(round + 1) % 2];
                long sequence = round + 1;
                DeviceMessage fix = fixAt(T0 + round * 30_000L, 43.30, 76.90, 8);
                try (KuzetTestClient device = new KuzetTestClient(first.server.port(Protocol.KUZET))) {
                    device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
                    device.startSequenceAt(sequence);
                    device.sendPositions(fix);
                    assertEquals(sequence, device.readReply().value, "acked by the first node");
                }
                try (KuzetTestClient device = new KuzetTestClient(other.server.port(Protocol.KUZET))) {
                    loginResults.add(device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).value);
                    device.startSequenceAt(sequence);   // the ack from the first node was lost: frame `sequence` is resent
                    device.sendPositions(fixAt(T0 + round * 30_000L, 43.30, 76.90, 8));
                    assertEquals(sequence, device.readReply().value, "the retransmission is acked");
                }

                int serial = round + 1;
                long gt06Time = T0 + round * 60_000L;
                sendGt06Location(first.server.port(Protocol.GT06), gt06Time, serial);
                sendGt06Location(other.server.port(Protocol.GT06), gt06Time, serial);   // the same frame again

                long watchTime = T0 + round * 60_000L;
                sendWatchAlarm(first.server.port(Protocol.WATCH), watchTime);
                sendWatchAlarm(other.server.port(Protocol.WATCH), watchTime);
            }
        }
        assertEquals(List.of(ROUNDS, ROUNDS, ROUNDS), List.of(deviceMessagesInTopic(topic, TestFleet.KUZET_DEVICE),
                        deviceMessagesInTopic(topic, TestFleet.GT06_DEVICE), deviceMessagesInTopic(topic, TestFleet.WATCH_DEVICE)),
                "Kuzet frames, GT06 locations and Watch alarms in the topic: each stored once, its retransmission through"
                        + " the other node recognised");
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= ROUNDS; s++) {
            expected.add(s);
        }
        assertEquals(expected, loginResults, "the other node's LOGIN_RESULT reports the frame the first node stored");
    }

    /** A GT06 bracelet logs in and sends one location, answered once Kafka has it. */
    private static void sendGt06Location(int port, long timeMs, int serial) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            ByteBuf login = Unpooled.buffer();
            Gt06Encoder.writeLogin(login, TestFleet.GT06_IMEI, 1);
            socket.getOutputStream().write(Gt06Wire.bytes(login));
            assertEquals(0x01, Gt06Wire.readAnswer(socket.getInputStream())[3]);
            ByteBuf location = Unpooled.buffer();
            Gt06Encoder.writeLocation0x12(location, fixAt(timeMs, 43.30, 76.90, 10).fix(0), serial);
            socket.getOutputStream().write(Gt06Wire.bytes(location));
            assertEquals(0x12, Gt06Wire.readAnswer(socket.getInputStream())[3]);
        }
    }

    /** A Watch sends one alarm report (its first frame logs it in), answered once Kafka has it. */
    private static void sendWatchAlarm(int port, long timeMs) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            ByteBuf alarm = Unpooled.buffer();
            WatchEncoder.writeLocation(alarm, "3G", TestFleet.WATCH_NUMBER, "AL", fixAt(timeMs, 43.30, 76.90, 10).fix(0), 80, 0);
            socket.getOutputStream().write(Gt06Wire.bytes(alarm));
            String reply;
            do {
                reply = readWatchFrame(socket.getInputStream());   // skipping any command the server sends on its own
            } while (!reply.endsWith("*AL]"));
        }
    }

    private static String readWatchFrame(InputStream in) throws Exception {
        StringBuilder frame = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            frame.append((char) c);
            if (c == ']') {
                return frame.toString();
            }
        }
        throw new java.io.EOFException("connection closed after " + frame);
    }

    private static int deviceMessagesInTopic(String topic, long deviceId) {
        ServerConfig.Kafka settings = new ServerConfig.Kafka();
        settings.bootstrapServers = SharedKafka.bootstrapServers();
        settings.topic = topic;
        int count = 0;
        try (KafkaJournalReader reader = new KafkaJournalReader(settings, "test-count")) {
            reader.markReplayEnd();
            IngestRecord record = new IngestRecord();
            while (!reader.replayDone()) {
                while (reader.next(record)) {
                    if (record.type == IngestRecord.TYPE_DEVICE_MESSAGE && record.deviceId == deviceId) {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
