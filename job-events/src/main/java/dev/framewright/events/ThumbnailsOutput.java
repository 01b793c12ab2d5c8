package dev.framewright.events;


/**
 * Stills taken along a video: {@code thumb-00001.jpg}, ... and, with {@code sprite}, {@code sprite.jpg} (a grid
 * of every still) and {@code thumbnails.vtt} (a WebVTT track whose cues point at regions of the sprite,
 * {@code sprite.jpg#xywh=x,y,w,h}, for scrubbing previews in players).
 *
 * @param everySeconds one still every N seconds (from 0); default 10 when count is null too
 * @param count        N stills evenly spaced over the duration instead
 * @param width        pixels, height follows the aspect; default 160
 * @param format       default jpg
 * @param sprite       default false
 * @param autorotate   false: the raw stored frames, not turned upright by the input's display matrix or rotate tag;
 *                     default true
 */
public record ThumbnailsOutput(String name, Double everySeconds, Integer count, Integer width, ImageFormat format,
        Boolean sprite, Boolean autorotate) implements OutputSpec {

    /** Turned upright. */
    public ThumbnailsOutput(String name, Double everySeconds, Integer count, Integer width, ImageFormat format,
            Boolean sprite) {
        this(name, everySeconds, count, width, format, sprite, null);
    }

    @Override
    public OutputType type() {
        return OutputType.THUMBNAILS;
    }
}
