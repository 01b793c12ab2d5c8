package dev.framewright.api.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * API keys: {@code fw_<tenant-hint>_<40 random base62 characters>} (about 238 random bits). The hint only helps
 * humans and secret scanners recognise a key; it grants nothing, the tenant comes from the stored key. Only the
 * SHA-256 of a key is stored: with that much entropy a slow password hash would add cost without adding safety.
 */
public final class ApiKeys {

    public static final String PREFIX = "fw_";
    static final int RANDOM_LENGTH = 40;
    /** What a presented key may look like before any lookup; anything else is refused without touching the database. */
    private static final Pattern SHAPE = Pattern.compile("fw_[A-Za-z0-9_]{16,200}");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new random key for the tenant. */
    public static String generate(String tenant) {
        String hint = tenant.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (hint.length() > 16) {
            hint = hint.substring(0, 16);
        }
        StringBuilder key = new StringBuilder(PREFIX).append(hint.isEmpty() ? "key" : hint).append('_');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    /** Whether the text can be a key at all. */
    public static boolean wellFormed(String key) {
        return key != null && SHAPE.matcher(key).matches();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what the {@code api_keys} table stores. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    public static boolean isHash(String text) {
        return text != null && HEX_HASH.matcher(text).matches();
    }

    /** Compares two hashes in time independent of where they differ, so timing tells an attacker nothing. */
    public static boolean sameHash(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
