package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The test vectors of {@code docs/protocol.md}, read from the document itself so spec and code cannot drift. */
class KuzetSpecVectorsTest {
    private static final Path SPEC = Path.of("..", "docs", "protocol.md");
    private static final Pattern BLOCK = Pattern.compile(
            "```text\\nvector: (\\S+)\\nframe:\\n(.*?)decoded:\\n(.*?)```", Pattern.DOTALL);

    record Vector(String name, byte[] frame, List<String> decoded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Vector> vectors() throws IOException {
        String spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        List<Vector> vectors = new ArrayList<>();
        Matcher m = BLOCK.matcher(spec);
        while (m.find()) {
            StringBuilder hex = new StringBuilder();
            for (String line : m.group(2).split("\n")) {
                int comment = line.indexOf('#');
                hex.append((comment >= 0 ? line.substring(0, comment) : line).replaceAll("\\s", ""));
            }
            vectors.add(new Vector(m.group(1), ByteBufUtil.decodeHexDump(hex),
                    List.of(m.group(3).strip().split("\n"))));
        }
        return vectors;
    }

    static Stream<Arguments> namedVectors() throws IOException {
        return vectors().stream().map(v -> Arguments.of(v.name(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedVectors")
    void vectorDecodesToTheValuesTheSpecStates(String name, Vector vector) {
        List<String> withoutTag = vector.decoded().stream().filter(line -> !line.startsWith("tag = ")).toList();
        assertEquals(withoutTag, FrameDescriber.describe(vector.frame()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedVectors")
    void taggedVectorCarriesTheTagOfItsDirectionAndCounterUnderTheDerivedSessionKey(String name, Vector vector)
            throws IOException {
        ByteBuf frame = Unpooled.wrappedBuffer(vector.frame());
        String tagLine = vector.decoded().stream().filter(line -> line.startsWith("tag = ")).findFirst().orElse(null);
        assertEquals(tagLine != null, KuzetDecoder.isTagged(frame), "a tag line exactly for tagged frames");
        if (tagLine == null) {
            return;
        }
        Matcher m = Pattern.compile("tag = (device-to-server|server-to-device) counter (\\d+)").matcher(tagLine);
        assertTrue(m.matches(), tagLine);
        byte[] sessionKey = derivedSessionKey();
        int keyOffset = m.group(1).equals("device-to-server") ? 0 : 16;
        long counter = Long.parseLong(m.group(2));
        int macLength = KuzetFrame.HEADER_LENGTH + KuzetDecoder.payloadLength(frame);
        long expected = KuzetFrameMac.tag(SipHash24.littleEndian(sessionKey, keyOffset),
                SipHash24.littleEndian(sessionKey, keyOffset + 8), counter, frame, 0, macLength);
        assertEquals(expected, frame.getLongLE(macLength));

        // and the receiving side accepts it as that frame of the session, not as any other
        KuzetFrameMac receiver = keyOffset == 0 ? KuzetFrameMac.forServer(sessionKey) : KuzetFrameMac.forDevice(sessionKey);
        KuzetFrameMac sender = keyOffset == 0 ? KuzetFrameMac.forDevice(sessionKey) : KuzetFrameMac.forServer(sessionKey);
        for (long i = 0; i < counter; i++) {
            ByteBuf earlier = Unpooled.buffer();
            KuzetEncoder.writeAck(earlier, i, i);
            sender.seal(earlier, 0);
            assertTrue(receiver.open(earlier));
        }
        ByteBuf resealed = untagged(vector.frame());
        sender.seal(resealed, 0);
        assertEquals(ByteBufUtil.hexDump(vector.frame()), ByteBufUtil.hexDump(resealed));
        assertTrue(receiver.open(frame));
        assertFalse(receiver.open(frame), "the same frame again is a replay");
    }

    @Test
    void derivationBlockHmacAndSessionKeyFollowFromTheDeviceKeyAndBothNonces() throws IOException {
        Map<String, String> d = derivation();
        byte[] key = ByteBufUtil.decodeHexDump(d.get("deviceKey"));
        byte[] nonce = ByteBufUtil.decodeHexDump(d.get("nonce"));
        byte[] deviceNonce = ByteBufUtil.decodeHexDump(d.get("deviceNonce"));
        long deviceId = Long.parseLong(d.get("deviceId"));
        byte[] hmac = new byte[32];
        KuzetAuth.hmac(key, nonce, deviceId, deviceNonce, hmac);
        assertEquals(d.get("hmac"), ByteBufUtil.hexDump(hmac));
        assertEquals(d.get("sessionKey"), ByteBufUtil.hexDump(KuzetAuth.sessionKey(key, nonce, deviceNonce, deviceId)));
        ByteBuf login = Unpooled.wrappedBuffer(find("login-frame-mac").frame());
        byte[] presented = new byte[32];
        KuzetDecoder.loginHmac(login, presented);
        assertTrue(KuzetAuth.verify(key, nonce, deviceId, deviceNonce, presented));
    }

    private static byte[] derivedSessionKey() throws IOException {
        return ByteBufUtil.decodeHexDump(derivation().get("sessionKey"));
    }

    private static Map<String, String> derivation() throws IOException {
        String spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```text\\nderivation: frame-mac\\n(.*?)```", Pattern.DOTALL).matcher(spec);
        assertTrue(block.find(), "docs/protocol.md has a derivation: frame-mac block");
        Map<String, String> values = new HashMap<>();
        for (String line : block.group(1).strip().split("\n")) {
            String[] kv = line.split(" = ", 2);
            values.put(kv[0].strip(), kv[1].strip());
        }
        return values;
    }

    /** The frame as it was before sealing: tag flag cleared, tag removed, CRC recomputed. */
    private static ByteBuf untagged(byte[] tagged) {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(tagged, 0, tagged.length - KuzetFrame.TAG_LENGTH - KuzetFrame.CRC_LENGTH);
        out.setByte(KuzetFrame.TYPE_OFFSET, out.getUnsignedByte(KuzetFrame.TYPE_OFFSET) & KuzetFrame.TYPE_MASK);
        out.writeInt(Crc32c.of(out, 0, out.readableBytes()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedVectors")
    void acceptedDataVectorReencodesToTheSameBytes(String name, Vector vector) {
        ByteBuf frame = Unpooled.wrappedBuffer(vector.frame());
        KuzetMessageType type = KuzetMessageType.fromCode(KuzetDecoder.type(frame));
        boolean accepted = vector.decoded().stream().noneMatch(line -> line.startsWith("refused"));
        if (!accepted || KuzetDecoder.isTagged(frame)
                || (type != KuzetMessageType.POSITION_BATCH && type != KuzetMessageType.DEVICE_EVENT)) {
            return;
        }
        DeviceMessage message = new DeviceMessage();
        KuzetDecoder.decodeData(frame, message);
        ByteBuf again = Unpooled.buffer();
        if (type == KuzetMessageType.POSITION_BATCH) {
            KuzetEncoder.writePositionBatch(again, message.sequence, message);
        } else {
            KuzetEncoder.writeDeviceEvents(again, message.sequence, message);
        }
        assertEquals(ByteBufUtil.hexDump(vector.frame()), ByteBufUtil.hexDump(again));
    }

    @Test
    void specHasAtLeastEightAcceptedAndSeveralRefusedVectorsCoveringEveryType() throws IOException {
        List<Vector> vectors = vectors();
        long refused = vectors.stream().filter(v -> v.decoded().get(v.decoded().size() - 1).startsWith("refused")
                || v.decoded().get(0).startsWith("refused")).count();
        assertTrue(vectors.size() - refused >= 8, "accepted vectors: " + (vectors.size() - refused));
        assertTrue(refused >= 5, "refused vectors: " + refused);
        for (KuzetMessageType type : KuzetMessageType.values()) {
            assertTrue(vectors.stream().anyMatch(v -> v.decoded().contains("type = " + type)), "no vector for " + type);
        }
    }

    @Test
    void loginVectorHmacIsTheDeviceKeyOverTheChallengeNonceAndDeviceId() throws IOException {
        byte[] key = ByteBufUtil.decodeHexDump("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        ByteBuf challenge = Unpooled.wrappedBuffer(find("challenge").frame());
        ByteBuf login = Unpooled.wrappedBuffer(find("login").frame());
        byte[] nonce = new byte[16];
        byte[] presented = new byte[32];
        KuzetDecoder.challengeNonce(challenge, nonce);
        KuzetDecoder.loginHmac(login, presented);
        assertTrue(KuzetAuth.verify(key, nonce, KuzetDecoder.loginDeviceId(login), presented));
    }

    private static Vector find(String name) throws IOException {
        return vectors().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}
