package io.kuzet.protocol.kuzet;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one frame's bytes into the "key = value" lines that {@code docs/protocol.md} lists under each
 * test vector, by running them through {@link KuzetFrameDecoder} and {@link KuzetDecoder}. A tagged frame's
 * {@code tag = ...} line needs the session key and is checked by {@code KuzetSpecVectorsTest} itself.
 */
final class FrameDescriber {
    private FrameDescriber() {
    }

    static List<String> describe(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        KuzetFrameDecoder frameDecoder = new KuzetFrameDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(frameDecoder);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.finish();
        } catch (ProtocolException e) {
            lines.add("refused = " + e.reason());
            lines.add("sequence = " + frameDecoder.sequenceOfLastRefusedFrame());
            channel.finishAndReleaseAll();
            return lines;
        }
        ByteBuf frame = channel.readInbound();
        try {
            describeFrame(frame, lines);
        } catch (ProtocolException e) {
            lines.add("refused = " + e.reason());
        } finally {
            frame.release();
            channel.finishAndReleaseAll();
        }
        return lines;
    }

    private static void describeFrame(ByteBuf frame, List<String> lines) {
        KuzetMessageType type = KuzetDecoder.messageType(frame);
        lines.add("type = " + type);
        lines.add("sequence = " + KuzetDecoder.sequence(frame));
        switch (type) {
            case HELLO:
                lines.add("deviceId = " + KuzetDecoder.helloDeviceId(frame));
                lines.add("firmwareVersion = " + KuzetDecoder.helloFirmwareVersion(frame));
                break;
            case CHALLENGE: {
                byte[] nonce = new byte[16];
                KuzetDecoder.challengeNonce(frame, nonce);
                lines.add("nonce = " + ByteBufUtil.hexDump(nonce));
                lines.add("serverTimeMs = " + time(KuzetDecoder.challengeServerTimeMs(frame)));
                break;
            }
            case LOGIN: {
                byte[] hmac = new byte[32];
                KuzetDecoder.loginHmac(frame, hmac);
                lines.add("deviceId = " + KuzetDecoder.loginDeviceId(frame));
                lines.add("hmac = " + ByteBufUtil.hexDump(hmac));
                if (KuzetDecoder.loginAsksForFrameMac(frame)) {
                    byte[] deviceNonce = new byte[16];
                    KuzetDecoder.loginDeviceNonce(frame, deviceNonce);
                    lines.add("deviceNonce = " + ByteBufUtil.hexDump(deviceNonce));
                }
                break;
            }
            case LOGIN_RESULT:
                lines.add("status = " + KuzetDecoder.loginResultStatus(frame));
                lines.add("lastStoredSequence = " + KuzetDecoder.loginResultLastStoredSequence(frame));
                lines.add("serverTimeMs = " + time(KuzetDecoder.loginResultServerTimeMs(frame)));
                lines.add("reportingIntervalS = " + KuzetDecoder.loginResultReportingIntervalS(frame));
                break;
            case POSITION_BATCH:
            case DEVICE_EVENT:
            case HEARTBEAT:
                describeData(frame, lines);
                break;
            case ACK:
                lines.add("ackedSequence = " + KuzetDecoder.ackedSequence(frame));
                break;
            case NACK:
                lines.add("refusedSequence = " + KuzetDecoder.nackRefusedSequence(frame));
                lines.add("reason = " + KuzetDecoder.nackReason(frame));
                break;
            case COMMAND:
                lines.add("commandId = " + KuzetDecoder.commandId(frame));
                lines.add("code = " + KuzetDecoder.commandCode(frame));
                lines.add("param = " + KuzetDecoder.commandParam(frame));
                break;
            case COMMAND_RESULT:
                lines.add("commandId = " + KuzetDecoder.commandResultId(frame));
                lines.add("status = " + KuzetDecoder.commandResultStatus(frame));
                break;
            default:
                throw new AssertionError(type);
        }
    }

    private static void describeData(ByteBuf frame, List<String> lines) {
        DeviceMessage message = new DeviceMessage();
        KuzetDecoder.decodeData(frame, message);
        for (int i = 0; i < message.fixCount(); i++) {
            Fix f = message.fix(i);
            lines.add("fix[" + i + "] = timeMs " + time(f.timeMs) + ", latE7 " + f.latE7 + ", lonE7 " + f.lonE7
                    + ", altitudeM " + f.altitudeM + ", speedKmhX10 " + f.speedKmhX10 + ", headingDeg " + f.headingDeg
                    + ", accuracyDm " + f.accuracyDm + ", hdopX10 " + f.hdopX10 + ", satellites " + f.satellites
                    + ", flags " + flags(f.flags));
        }
        for (int i = 0; i < message.eventCount(); i++) {
            lines.add("event[" + i + "] = timeMs " + time(message.eventTimeMs(i)) + ", " + message.eventType(i)
                    + ", value " + message.eventValue(i));
        }
        if (message.heartbeat) {
            lines.add("timeMs = " + time(message.statusTimeMs));
            lines.add("batteryPercent = " + message.batteryPercent);
            lines.add("signalPercent = " + message.signalPercent);
            lines.add("charging = " + message.charging);
        }
    }

    private static String time(long ms) {
        return ms + " (" + Instant.ofEpochMilli(ms) + ")";
    }

    private static String flags(int flags) {
        StringBuilder s = new StringBuilder();
        if ((flags & Fix.FLAG_VALID) != 0) {
            s.append("VALID|");
        }
        if ((flags & Fix.FLAG_BUFFERED) != 0) {
            s.append("BUFFERED|");
        }
        if ((flags & Fix.FLAG_ACCURACY_FROM_HDOP) != 0) {
            s.append("ACCURACY_FROM_HDOP|");
        }
        return s.length() == 0 ? "0" : s.substring(0, s.length() - 1);
    }
}
