package io.kuzet.protocol.kuzet;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kuzet login proof: {@code HMAC-SHA256(deviceKey, nonce16 || deviceId as 8 bytes big-endian [|| deviceNonce16])},
 * the device nonce present when the device asks for frame authentication, and the session key derivation for
 * {@link KuzetFrameMac}: {@code HMAC-SHA256(deviceKey, "kuzet-frame-mac" || nonce16 || deviceNonce16 || deviceId)}.
 *
 * <p>Thread-safe: each thread keeps its own {@link Mac}. Runs once per connection, not per message: about
 * a microsecond and a few small allocations for the key spec.
 */
public final class KuzetAuth {
    private static final String ALGORITHM = "HmacSHA256";

    private static final FastThreadLocal<Mac> MAC = new FastThreadLocal<>() {
        @Override
        protected Mac initialValue() throws GeneralSecurityException {
            return Mac.getInstance(ALGORITHM);
        }
    };

    /** A fresh 16-byte nonce for one CHALLENGE. */
    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[KuzetFrame.NONCE_LENGTH];
        random.nextBytes(nonce);
        return nonce;
    }

    /** Label that separates the session key derivation from the login proof. */
    static final byte[] FRAME_MAC_LABEL = "kuzet-frame-mac".getBytes(StandardCharsets.US_ASCII);

    /** Writes the 32-byte HMAC the device presents in a 40-byte LOGIN into {@code out32}. */
    public static void hmac(byte[] key, byte[] nonce16, long deviceId, byte[] out32) {
        hmac(key, nonce16, deviceId, null, out32);
    }

    /**
     * Writes the 32-byte HMAC the device presents in LOGIN into {@code out32}; with a device nonce (the 56-byte LOGIN
     * that asks for frame authentication) the nonce is covered too, so it cannot be stripped or replaced in transit.
     */
    public static void hmac(byte[] key, byte[] nonce16, long deviceId, byte[] deviceNonce16, byte[] out32) {
        if (nonce16.length != KuzetFrame.NONCE_LENGTH || out32.length < KuzetFrame.HMAC_LENGTH
                || (deviceNonce16 != null && deviceNonce16.length != KuzetFrame.DEVICE_NONCE_LENGTH)) {
            throw new IllegalArgumentException("nonces must be 16 bytes and out at least 32");
        }
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(nonce16);
            updateLong(mac, deviceId);
            if (deviceNonce16 != null) {
                mac.update(deviceNonce16);
            }
            mac.doFinal(out32, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable or key refused", e);
        }
    }

    /** True when {@code presented32} is the right HMAC of a 40-byte LOGIN; compared in constant time. */
    public static boolean verify(byte[] key, byte[] nonce16, long deviceId, byte[] presented32) {
        return verify(key, nonce16, deviceId, null, presented32);
    }

    /** True when {@code presented32} is the right HMAC (device nonce null for a 40-byte LOGIN); constant time. */
    public static boolean verify(byte[] key, byte[] nonce16, long deviceId, byte[] deviceNonce16, byte[] presented32) {
        byte[] expected = new byte[KuzetFrame.HMAC_LENGTH];
        hmac(key, nonce16, deviceId, deviceNonce16, expected);
        return MessageDigest.isEqual(expected, presented32);
    }

    /**
     * The 32-byte session key of an authenticated session:
     * {@code HMAC-SHA256(deviceKey, "kuzet-frame-mac" || nonce16 || deviceNonce16 || deviceId as 8 bytes big-endian)}.
     * Bytes 0..15 key the device→server tags, bytes 16..31 the server→device tags.
     */
    public static byte[] sessionKey(byte[] key, byte[] nonce16, byte[] deviceNonce16, long deviceId) {
        if (nonce16.length != KuzetFrame.NONCE_LENGTH || deviceNonce16.length != KuzetFrame.DEVICE_NONCE_LENGTH) {
            throw new IllegalArgumentException("nonces must be 16 bytes");
        }
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(FRAME_MAC_LABEL);
            mac.update(nonce16);
            mac.update(deviceNonce16);
            updateLong(mac, deviceId);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable or key refused", e);
        }
    }

    private static void updateLong(Mac mac, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            mac.update((byte) (value >>> shift));
        }
    }

    private KuzetAuth() {
    }
}
