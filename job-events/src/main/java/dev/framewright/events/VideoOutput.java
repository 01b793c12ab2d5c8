package dev.framewright.events;


/**
 * A video rendition. Width and height bound the picture: with one of them the other follows the source's
 * aspect ratio; with both the picture fits inside the box. Sizes are rounded to even numbers. An output that asks for
 * nothing the source does not already have (the container's codecs, no size, fps, crf, bitrate, trim or overlay other
 * than the source's) is a stream copy of the source's packets, not a re-encode.
 *
 * @param container   {@code mp4} (H.264 + AAC, the default) or {@code webm} (VP9 + Opus)
 * @param width       pixels; null with height null: the source size
 * @param height      pixels
 * @param fps         output frame rate; null: the source's
 * @param crf         constant quality (H.264 0-51, default 23; VP9 0-63, default 32); ignored when bitrateKbps is set
 * @param bitrateKbps target video bitrate instead of constant quality
 * @param audio       false drops the audio track; default true (when the source has audio)
 * @param start       trim: seconds into the source where the output begins; default 0
 * @param duration    trim: seconds of source to keep; default to the end
 * @param overlay     an image composited onto the picture
 * @param audioTrack  which audio stream of the input: a 0-based index among the audio streams, or an ISO 639
 *                    language code; default the stream flagged default, else the first
 * @param loudness    normalise the audio's loudness; default none (the input's level)
 * @param redactFaces blur or pixelate every face, detected along the video and followed between samples;
 *                    default none (a redacted output is always re-encoded)
 * @param captions    mp4 only: true adds every text subtitle stream of the input as a {@code mov_text} track (cues
 *                    shifted and cut to the trim); default false (no subtitle track)
 * @param autorotate  false: the raw stored frames, not turned upright; an mp4 keeps the input's rotation as its
 *                    display matrix; default true
 */
public record VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
        Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay, String audioTrack,
        Loudness loudness, FaceRedaction redactFaces, Boolean captions, Boolean autorotate) implements OutputSpec {

    /** Turned upright. */
    public VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
            Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay, String audioTrack,
            Loudness loudness, FaceRedaction redactFaces, Boolean captions) {
        this(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, overlay, audioTrack,
                loudness, redactFaces, captions, null);
    }

    /** No subtitle track. */
    public VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
            Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay, String audioTrack,
            Loudness loudness, FaceRedaction redactFaces) {
        this(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, overlay, audioTrack,
                loudness, redactFaces, null);
    }

    /** The input's default audio track at its own loudness, no redaction. */
    public VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
            Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay) {
        this(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, overlay, null, null, null);
    }

    /** No redaction. */
    public VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
            Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay, String audioTrack,
            Loudness loudness) {
        this(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, overlay, audioTrack,
                loudness, null);
    }

    /** The input's default audio track at its own loudness. */
    public VideoOutput(String name, Container container, Integer width, Integer height, Double fps, Integer crf,
            Integer bitrateKbps, Boolean audio, Double start, Double duration, Overlay overlay,
            FaceRedaction redactFaces) {
        this(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, overlay, null, null,
                redactFaces);
    }

    /** This output with another overlay, every other parameter kept. */
    public VideoOutput withOverlay(Overlay other) {
        return new VideoOutput(name, container, width, height, fps, crf, bitrateKbps, audio, start, duration, other,
                audioTrack, loudness, redactFaces, captions, autorotate);
    }

    public static VideoOutput of(String name, Integer width, Integer height) {
        return new VideoOutput(name, null, width, height, null, null, null, null, null, null, null);
    }

    @Override
    public OutputType type() {
        return OutputType.VIDEO;
    }
}
