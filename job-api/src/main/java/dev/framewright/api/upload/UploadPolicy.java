package dev.framewright.api.upload;

import dev.framewright.api.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an uploaded file must be: no larger than {@code framewright.uploads.max-bytes}, not empty, and a media
 * container {@link MediaSniffer} recognises by its bytes. Call {@link #inspect} on the stored upload before it goes
 * to object storage ({@code JobSubmissionService.submit}).
 */
@ApplicationScoped
public class UploadPolicy {

    private final UploadConfig config;

    public UploadPolicy(UploadConfig config) {
        this.config = config;
    }

    /** The sniffed kind ({@code mp4}, {@code png}, ...); throws 413 {@code payload_too_large} or 415 {@code unsupported_media_type}. */
    public String inspect(Path upload) {
        try {
            long size = Files.size(upload);
            if (size > config.maxBytes()) {
                throw tooLarge(config.maxBytes());
            }
            if (size == 0) {
                throw unsupported("The file is empty");
            }
            return MediaSniffer.sniff(upload).orElseThrow(() -> unsupported(
                    "The file is not a media container job-api accepts (recognised by its content, not its name or type)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "payload_too_large", "Payload too large",
                "Uploads may be at most " + maxBytes + " bytes, including the multipart framing");
    }

    private static ApiException unsupported(String detail) {
        return new ApiException(415, "unsupported_media_type", "Unsupported media type", detail);
    }
}
