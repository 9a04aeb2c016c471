package io.kuzet.protocol.kuzet;

import io.netty.util.concurrent.FastThreadLocal;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kuzet login proof: {@code HMAC-SHA256(deviceKey, nonce16 || deviceId as 8 bytes big-endian)}.
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

    /** Writes the 32-byte HMAC the device presents in LOGIN into {@code out32}. */
    public static void hmac(byte[] key, byte[] nonce16, long deviceId, byte[] out32) {
        if (nonce16.length != KuzetFrame.NONCE_LENGTH || out32.length < KuzetFrame.HMAC_LENGTH) {
            throw new IllegalArgumentException("nonce must be 16 bytes and out at least 32");
        }
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(nonce16);
            for (int shift = 56; shift >= 0; shift -= 8) {
                mac.update((byte) (deviceId >>> shift));
            }
            mac.doFinal(out32, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable or key refused", e);
        }
    }

    /** True when {@code presented32} is the right HMAC; compared in constant time. */
    public static boolean verify(byte[] key, byte[] nonce16, long deviceId, byte[] presented32) {
        byte[] expected = new byte[KuzetFrame.HMAC_LENGTH];
        hmac(key, nonce16, deviceId, expected);
        return MessageDigest.isEqual(expected, presented32);
    }

    private KuzetAuth() {
    }
}
