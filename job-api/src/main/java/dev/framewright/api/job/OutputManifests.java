package dev.framewright.api.job;

import dev.framewright.api.storage.MediaStore;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import dev.framewright.events.rules.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The manifests of outputs with more files than their terminal event lists (HLS segments of a long input), read once
 * and kept by key: a player fetching segment after segment costs one lookup in memory, not a store round trip each.
 * Bounded by the files held, the least recently used manifest dropped first; a manifest never changes once written
 * (a retry of the output writes a new read-model entry, whose lookups re-read it only if it was dropped).
 */
@ApplicationScoped
public class OutputManifests {

    /** About 300 bytes a file: 200,000 files are ~60 MB at most. */
    static final int MAX_CACHED_FILES = 200_000;

    private final MediaStore store;
    private final Map<String, Map<String, OutputFile>> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private int cachedFiles;

    public OutputManifests(MediaStore store) {
        this.store = store;
    }

    /**
     * Every file of the output, by path; empty when the manifest is gone (the job expired). Files whose keys lie
     * outside the output's prefix are left out: job-api serves nothing but the job's own objects.
     */
    Optional<Map<String, OutputFile>> files(UUID jobId, StoredOutput output) {
        String key = output.manifest();
        synchronized (this) {
            Map<String, OutputFile> cached = byKey.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<Map<String, OutputFile>> read = read(jobId, output.name(), key);
        read.ifPresent(files -> remember(key, files));
        return read;
    }

    private Optional<Map<String, OutputFile>> read(UUID jobId, String name, String key) {
        OutputManifest manifest;
        try (InputStream in = store.open(key, null)) {
            if (in == null) {
                return Optional.empty();
            }
            manifest = JobEventJson.mapper().readValue(in, OutputManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable manifest " + key, e);
        }
        String prefix = ObjectKeys.outputPrefix(jobId, name);
        Map<String, OutputFile> files = new LinkedHashMap<>();
        for (OutputFile f : manifest.files() == null ? List.<OutputFile>of() : manifest.files()) {
            if (f != null && OutputManifest.isSafePath(f.path()) && f.key() != null && f.key().equals(prefix + f.path())) {
                files.put(f.path(), f);
            }
        }
        return Optional.of(files);
    }

    private synchronized void remember(String key, Map<String, OutputFile> files) {
        if (byKey.containsKey(key) || files.size() > MAX_CACHED_FILES) {
            return;
        }
        byKey.put(key, files);
        cachedFiles += files.size();
        var eldest = byKey.entrySet().iterator();
        while (cachedFiles > MAX_CACHED_FILES && eldest.hasNext()) {
            cachedFiles -= eldest.next().getValue().size();
            eldest.remove();
        }
    }
}
