package dev.framewright.transcoder.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a job's scratch files, best effort: a worker never fails a job over its own leftovers. */
public final class ScratchFiles {

    private ScratchFiles() {
    }

    /** @return false when something under {@code root} could not be deleted */
    public static boolean deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a scratch file; the job's directory is deleted anyway
        }
    }
}
