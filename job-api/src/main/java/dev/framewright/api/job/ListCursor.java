package dev.framewright.api.job;

import dev.framewright.api.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque {@code next_cursor} of a listing: the (created_at, id) of the page's last job, so the next page is a
 * keyset query that stays stable while jobs are added.
 */
public record ListCursor(Instant createdAt, UUID id) {

    public String encode() {
        String plain = "v1:" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static ListCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException();
            }
            return new ListCursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                    UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw new ApiException(400, "invalid_cursor", "Invalid cursor",
                    "The cursor is not one this API returned; start again without it");
        }
    }
}
