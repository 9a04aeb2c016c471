package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KuzetAuthTest {
    private final SecureRandom random = new SecureRandom();
    private final byte[] key = KuzetAuth.newNonce(random);
    private final byte[] nonce = KuzetAuth.newNonce(random);
    private final byte[] hmac = new byte[32];

    @Test
    void deviceProofVerifiesWithTheSameKeyNonceAndDevice() {
        KuzetAuth.hmac(key, nonce, 42, hmac);
        assertTrue(KuzetAuth.verify(key, nonce, 42, hmac));
    }

    @Test
    void proofForAnotherDeviceNonceOrKeyIsRefused() {
        KuzetAuth.hmac(key, nonce, 42, hmac);
        assertFalse(KuzetAuth.verify(key, nonce, 43, hmac));
        assertFalse(KuzetAuth.verify(key, KuzetAuth.newNonce(random), 42, hmac));
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertFalse(KuzetAuth.verify(otherKey, nonce, 42, hmac));
        assertFalse(KuzetAuth.verify(key, nonce, 42, Arrays.copyOf(hmac, 31)));
    }

    @Test
    void noncesAreFreshAndSixteenBytes() {
        byte[] a = KuzetAuth.newNonce(random);
        byte[] b = KuzetAuth.newNonce(random);
        assertTrue(a.length == 16 && b.length == 16);
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
    }
}
