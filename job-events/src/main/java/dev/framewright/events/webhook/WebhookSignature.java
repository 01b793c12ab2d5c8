package dev.framewright.events.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Framewright-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, with
 * one {@code v1} per valid secret of the tenant (the new one first; during a rotation's overlap the previous one
 * too, Stripe-style). A receiver accepts the notification when any {@code v1} matches the secret it holds.
 * Self-contained (JDK only) so receivers can copy it: verify with the raw body bytes, before parsing them.
 */
public final class WebhookSignature {

    public static final String HEADER = "Framewright-Signature";

    private WebhookSignature() {
    }

    /** @param secrets every secret the receiver may hold, newest first; one {@code v1} each */
    public static String sign(List<String> secrets, long unixSeconds, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("At least one secret");
        }
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(hmac(secret, unixSeconds, body));
        }
        return header.toString();
    }

    public static String sign(String secret, long unixSeconds, byte[] body) {
        return sign(List.of(secret), unixSeconds, body);
    }

    /**
     * @param tolerance how far the signed time may be from {@code now} (replays of old notifications fail)
     * @return whether one of the header's {@code v1} values is a valid signature of the body with this secret,
     *         made within the tolerance
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long t = null;
        List<String> v1 = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (kv[0].equals("v1")) {
                v1.add(kv[1]);
            }
        }
        if (t == null || v1.isEmpty() || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, t, body).getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (String candidate : v1) {
            // Constant time, and every value compared, so timing leaks nothing about the expected value.
            valid |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return valid;
    }

    private static String hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
