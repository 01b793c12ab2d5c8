package dev.framewright.transcoder.media.faces;

import java.util.ArrayList;
import java.util.List;

/**
 * Faces sampled along a video, linked into tracks, and the boxes to hide at any time between samples.
 *
 * <p>Rules: samples come in time order. A face of a sample joins the track whose box in the previous sample
 * overlaps it most (IoU at least {@link #MIN_IOU}), each track taking at most one face per sample, greedily by
 * overlap; a face that joins none starts a new track (ids from 1, in order of appearance). Between two samples a face
 * in both is moved linearly; a face in only one of them is held where it was seen over the whole interval, so a
 * face is covered from the sample before it is first seen to the sample after it is last seen: redaction errs on
 * covering, never on a frame that shows the face.
 */
public final class FaceTracks {

    public static final double MIN_IOU = 0.3;

    /** A face of one sample, with its track. */
    public record Face(FaceBox box, int track) {
    }

    /** The faces at one time, seconds of media. */
    public record Sample(double seconds, List<Face> faces) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private int nextTrack = 1;

    /** Adds the next sample (at a time after the last one) and gives its faces their tracks. */
    public Sample add(double seconds, List<FaceBox> boxes) {
        List<Face> previous = samples.isEmpty() ? List.of() : samples.get(samples.size() - 1).faces();
        Face[] assigned = new Face[boxes.size()];
        boolean[] taken = new boolean[previous.size()];
        while (true) {
            double best = MIN_IOU;
            int bi = -1;
            int pj = -1;
            for (int i = 0; i < boxes.size(); i++) {
                if (assigned[i] != null) {
                    continue;
                }
                for (int j = 0; j < previous.size(); j++) {
                    double iou = taken[j] ? -1 : boxes.get(i).iou(previous.get(j).box());
                    if (iou >= best) {
                        best = iou;
                        bi = i;
                        pj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            assigned[bi] = new Face(boxes.get(bi), previous.get(pj).track());
            taken[pj] = true;
        }
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            faces.add(assigned[i] != null ? assigned[i] : new Face(boxes.get(i), nextTrack++));
        }
        Sample s = new Sample(seconds, List.copyOf(faces));
        samples.add(s);
        return s;
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The boxes to cover at {@code seconds}: interpolated between the samples around it (see the class rules). */
    public List<FaceBox> at(double seconds) {
        if (samples.isEmpty()) {
            return List.of();
        }
        int after = 0;
        while (after < samples.size() && samples.get(after).seconds() <= seconds) {
            after++;
        }
        if (after == 0) {
            return boxes(samples.get(0)); // before the first sample: what it shows
        }
        Sample a = samples.get(after - 1);
        if (after == samples.size()) {
            return boxes(a); // after the last: held
        }
        Sample b = samples.get(after);
        double f = (seconds - a.seconds()) / (b.seconds() - a.seconds());
        List<FaceBox> out = new ArrayList<>();
        for (Face fa : a.faces()) {
            Face fb = b.faces().stream().filter(x -> x.track() == fa.track()).findFirst().orElse(null);
            out.add(fb == null ? fa.box() : lerp(fa.box(), fb.box(), f));
        }
        for (Face fb : b.faces()) {
            if (a.faces().stream().noneMatch(x -> x.track() == fb.track())) {
                out.add(fb.box());
            }
        }
        return out;
    }

    private static List<FaceBox> boxes(Sample s) {
        return s.faces().stream().map(Face::box).toList();
    }

    private static FaceBox lerp(FaceBox a, FaceBox b, double f) {
        return new FaceBox(mix(a.x(), b.x(), f), mix(a.y(), b.y(), f), mix(a.width(), b.width(), f),
                mix(a.height(), b.height(), f), Math.min(a.neighbors(), b.neighbors()));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
