package dev.framewright.api.job;

import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputManifest;
import java.util.List;
import java.util.UUID;

/** Where outputs are served. A file's URL keeps its relative path, so HLS playlists resolve their neighbours. */
final class OutputPaths {

    private OutputPaths() {
    }

    static String job(UUID id) {
        return "/v1/jobs/" + id;
    }

    static String file(UUID jobId, String output, String path) {
        return job(jobId) + "/outputs/" + output + "/" + path;
    }

    /** Every file of an output whose files the read model lists only in part. */
    static String manifest(UUID jobId, String output) {
        return file(jobId, output, OutputManifest.FILE);
    }

    /** The file {@code GET .../outputs/{name}} serves: an HLS ladder's master playlist, else the first file. */
    static OutputFile mainFile(StoredOutput output) {
        List<OutputFile> files = output.files();
        if (files == null || files.isEmpty()) {
            return null;
        }
        return files.stream().filter(f -> "hls".equals(output.type()) && "master.m3u8".equals(f.path())).findFirst()
                .orElse(files.get(0));
    }
}
