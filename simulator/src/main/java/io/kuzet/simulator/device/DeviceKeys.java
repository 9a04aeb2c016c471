package io.kuzet.simulator.device;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives a simulated device's 32-byte HMAC key from its number, so a remote server can be provisioned with the same
 * keys the simulator uses without exchanging files. For simulation only: real keys are random per device.
 * Thread-safe; one HMAC per call.
 */
public final class DeviceKeys {
    private static final byte[] MASTER = "kuzet-simulator-master-key-v1".getBytes(StandardCharsets.US_ASCII);

    private DeviceKeys() {
    }

    public static byte[] derive(long deviceNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(MASTER, "HmacSHA256"));
            return mac.doFinal(ByteBuffer.allocate(8).putLong(deviceNumber).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
