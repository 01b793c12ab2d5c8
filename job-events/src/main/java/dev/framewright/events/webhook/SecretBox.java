package dev.framewright.events.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets at rest: AES-256-GCM (JDK) with the operator's key ({@code framewright.webhooks.secret-key},
 * base64 of 32 bytes). Secrets cannot be hashed like API keys, since the projector needs the plaintext to sign; a
 * leaked table without the key grants nothing. The tenant is the additional authenticated data, so a row copied
 * to another tenant does not decrypt. Layout: {@code 0x01 | 12-byte nonce | ciphertext+tag}; the version byte leaves
 * room for a key rotation.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @throws IllegalArgumentException unless the text is base64 of exactly 32 bytes */
    public static SecretBox of(String base64Key) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("framewright.webhooks.secret-key must be base64 of 32 random bytes "
                    + "(openssl rand -base64 32); it is not base64", e);
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("framewright.webhooks.secret-key must be base64 of 32 random bytes "
                    + "(openssl rand -base64 32), not " + key.length + " bytes");
        }
        return new SecretBox(key);
    }

    public byte[] seal(String plaintext, String tenant) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(tenant));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has AES-GCM", e);
        }
    }

    /** @throws IllegalStateException when the bytes were sealed with another key, for another tenant, or altered */
    public String open(byte[] sealed, String tenant) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("Not a sealed webhook secret");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(aad(tenant));
            return new String(cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The webhook secret of tenant " + tenant + " does not decrypt with "
                    + "framewright.webhooks.secret-key (job-api and status-projector must share one key)");
        }
    }

    private static byte[] aad(String tenant) {
        return ("framewright webhook secret/" + tenant).getBytes(StandardCharsets.UTF_8);
    }
}
