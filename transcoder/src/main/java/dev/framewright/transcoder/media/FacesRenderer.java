package dev.framewright.transcoder.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.FacesOutput;
import dev.framewright.events.FailureCode;
import dev.framewright.events.JobEventJson;
import dev.framewright.transcoder.media.faces.FaceTracks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code faces.json}: {@code {width, height, everySeconds, tracks, samples: [{seconds, faces: [{track, x, y,
 * width, height, neighbors}]}]}}, boxes in pixels of the displayed frame ({@code width x height}).
 */
final class FacesRenderer {

    static final String FILE = "faces.json";
    static final double DEFAULT_EVERY_SECONDS = 1.0;

    private FacesRenderer() {
    }

    static RenderedOutput render(Path input, FacesOutput spec, Path outDir) throws MediaException {
        OutputPlans.checkRules(spec);
        double every = spec.everySeconds() != null ? spec.everySeconds() : DEFAULT_EVERY_SECONDS;
        FaceScan.Result scan = FaceScan.scan(input, every);
        ObjectNode root = JobEventJson.mapper().createObjectNode();
        root.put("width", scan.width());
        root.put("height", scan.height());
        root.put("everySeconds", every);
        ArrayNode samples = root.putArray("samples");
        int tracks = 0;
        for (FaceTracks.Sample s : scan.tracks().samples()) {
            ObjectNode sample = samples.addObject();
            sample.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
            ArrayNode faces = sample.putArray("faces");
            for (FaceTracks.Face f : s.faces()) {
                faces.addObject().put("track", f.track()).put("x", f.box().x()).put("y", f.box().y())
                        .put("width", f.box().width()).put("height", f.box().height())
                        .put("neighbors", f.box().neighbors());
                tracks = Math.max(tracks, f.track());
            }
        }
        root.put("tracks", tracks);
        Path file = outDir.resolve(FILE);
        try {
            Files.createDirectories(outDir);
            JobEventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + FILE, e);
        }
        return new RenderedOutput(spec.name(), spec.type(),
                List.of(new RenderedOutput.File(FILE, file, "application/json")), null);
    }
}
