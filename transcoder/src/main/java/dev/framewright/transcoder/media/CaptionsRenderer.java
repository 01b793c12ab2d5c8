package dev.framewright.transcoder.media;

import dev.framewright.events.CaptionsOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code captions} output: one WebVTT file per text subtitle stream of the input, and {@code captions.json}
 * saying which stream each file came from and which streams were skipped and why.
 */
final class CaptionsRenderer {

    static final String INDEX = "captions.json";
    static final String VTT = "text/vtt";

    private CaptionsRenderer() {
    }

    /** {@code captions.json}: the converted tracks, then the skipped streams. */
    record Index(List<Entry> tracks, List<SkippedEntry> skipped) {
    }

    /**
     * @param index  0-based among the input's subtitle streams
     * @param stream index among all streams of the input
     */
    record Entry(String file, int index, int stream, String codec, String language, String title,
            boolean defaultTrack, boolean forced, int cues) {
    }

    record SkippedEntry(int index, int stream, String codec, String language, String reason) {
    }

    static RenderedOutput render(Captions.Extracted captions, CaptionsOutput spec, Path dir) throws MediaException {
        List<RenderedOutput.File> files = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Path index = dir.resolve(INDEX);
        files.add(new RenderedOutput.File(INDEX, index, "application/json"));
        try {
            Files.createDirectories(dir);
            for (Captions.Track t : captions.tracks()) {
                String name = t.baseName() + ".vtt";
                Path file = dir.resolve(name);
                Files.writeString(file, Captions.webvtt(t.cues(), null), StandardCharsets.UTF_8);
                files.add(new RenderedOutput.File(name, file, VTT));
                entries.add(new Entry(name, t.number(), t.streamIndex(), t.codec(), t.language(), t.title(),
                        t.isDefault(), t.forced(), t.cues().size()));
            }
            List<SkippedEntry> skipped = captions.skipped().stream().map(s -> new SkippedEntry(s.number(),
                    s.streamIndex(), s.codec(), s.language(), s.reason())).toList();
            JobEventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(index.toFile(),
                    new Index(List.copyOf(entries), skipped));
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write the captions: " + e.getMessage(), e);
        }
        return new RenderedOutput(spec.name(), spec.type(), List.copyOf(files), null);
    }
}
