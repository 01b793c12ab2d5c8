package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.rules.OutputRules;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Stills along a video, seeking to keyframes instead of decoding every frame; optional sprite sheet + WebVTT.
 *
 * <p>For each time t (0, N, 2N, ... or {@code count} evenly spaced from 0) the demuxer seeks to the key frame at or
 * before t and the still is the first frame decoded there, with the decoder skipping non-intra frames. So a still
 * shows the video at most one key frame interval before t, and the work is about one frame per still whatever the
 * length of the video. Inputs that cannot seek are decoded in order instead.
 */
public final class Thumbnails {

    static {
        FFmpegSupport.init();
    }

    public static final double DEFAULT_EVERY_SECONDS = 10;
    public static final int DEFAULT_WIDTH = 160;
    public static final ImageFormat DEFAULT_FORMAT = ImageFormat.JPG;
    /** Most stills one output may have (the contract's rulebook). */
    public static final int MAX_STILLS = OutputRules.THUMBNAILS_MAX_STILLS;
    /** Most columns of the sprite grid (fewer when there are fewer stills, more when it would be too tall). */
    public static final int SPRITE_COLUMNS = 10;
    /** Largest sprite sheet, pixels. */
    public static final long MAX_SPRITE_PIXELS = 32_000_000L;

    static final String SPRITE = "sprite";
    static final String VTT = "thumbnails.vtt";

    private Thumbnails() {
    }

    /** What the work cost: the proof that stills do not decode the whole video. */
    static final class Stats {
        long framesDecoded;
        long packetsSent;
        long packetsSkipped;
        int stills;
        boolean sequential;
    }

    public static RenderedOutput render(Path input, MediaInfo inputInfo, ThumbnailsOutput spec, Path outDir,
            ProgressListener progress) throws MediaException {
        return render(input, spec, outDir, progress, new Stats());
    }

    static RenderedOutput render(Path input, ThumbnailsOutput spec, Path outDir, ProgressListener progress,
            Stats stats) throws MediaException {
        ProgressListener listener = progress != null ? progress : ProgressListener.NONE;
        ImageFormat format = spec.format() != null ? spec.format() : DEFAULT_FORMAT;
        boolean sprite = Boolean.TRUE.equals(spec.sprite());
        OutputPlans.checkRules(spec); // width, count, every_seconds: the contract's rulebook
        int width = spec.width() != null ? spec.width() : DEFAULT_WIDTH;
        Double every = spec.everySeconds();
        String inputName = input.getFileName().toString();
        List<Path> written = new ArrayList<>();
        boolean success = false;
        FFmpegFrameGrabber grabber = FFmpegSupport.open(input, null);
        try {
            if (!grabber.hasVideo() || FFmpegSupport.isStillImage(grabber)
                    || FFmpegSupport.isAttachedPicture(grabber)) {
                throw new MediaException(FailureCode.INVALID_OUTPUT,
                        "thumbnails need a video input; " + inputName + " is an image or audio only");
            }
            double duration = videoDuration(grabber);
            double[] times = times(spec.count(), every, duration);
            boolean autorotate = spec.autorotate() != Boolean.FALSE;
            PictureGeometry geometry = PictureGeometry.of(grabber).unturned(autorotate);
            // stills are shown as the video is: upright, progressive, square pixels
            BoxFit.Size size = geometry.needsFilter()
                    ? BoxFit.evenVideoSize(geometry.displayWidth(), geometry.displayHeight(), 1.0, width, null)
                    : BoxFit.evenVideoSize(grabber.getImageWidth(), grabber.getImageHeight(),
                            grabber.getAspectRatio(), width, null);
            Files.createDirectories(outDir);

            List<BufferedImage> tiles = new ArrayList<>();
            List<Double> at = new ArrayList<>();
            long started = System.nanoTime();
            try (StillFrames frames = StillFrames.open(grabber, inputName, autorotate)) {
                BufferedImage previous = null;
                boolean seekable = true;
                for (int i = 0; times == null || i < times.length; i++) {
                    double t = times != null ? times[i] : i * (every != null ? every : DEFAULT_EVERY_SECONDS);
                    AVFrame frame;
                    if (times == null) {
                        // unknown length: one pass in order, stop at the end
                        frame = atOrAfter(frames, t, stats);
                        if (frame == null) {
                            break;
                        }
                    } else if (i == 0) {
                        frame = frames.keyFrame(null); // the demuxer is at the start: no seek needed
                    } else if (seekable && frames.seekKeyFrame(t)) {
                        frame = frames.keyFrameAtOrBefore(t);
                    } else {
                        seekable = false;
                        frame = atOrAfter(frames, t, stats);
                    }
                    if (i >= MAX_STILLS) {
                        throw new MediaException(FailureCode.INVALID_OUTPUT,
                                "more than " + MAX_STILLS + " stills; use a larger every_seconds");
                    }
                    BufferedImage image;
                    if (frame != null) {
                        image = frames.toImage(frames.upright(frame), size.width(), size.height(), false);
                    } else if (previous != null) {
                        image = previous; // the container outlasts the video: repeat its last still
                    } else {
                        throw new MediaException(FailureCode.UNSUPPORTED_MEDIA,
                                inputName + " has no decodable video frame");
                    }
                    Path file = outDir.resolve(stillName(i + 1, format));
                    written.add(file);
                    ImageFiles.write(image, format, file);
                    if (sprite) {
                        tiles.add(image);
                    }
                    at.add(t);
                    previous = image;
                    stats.stills = i + 1;
                    stats.framesDecoded = frames.framesDecoded;
                    stats.packetsSent = frames.packetsSent;
                    stats.packetsSkipped = frames.packetsSkipped;
                    double elapsed = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
                    listener.onProgress(t, frames.framesDecoded / elapsed);
                }
            }
            if (at.isEmpty()) {
                throw new MediaException(FailureCode.UNSUPPORTED_MEDIA, inputName + " has no decodable video frame");
            }

            List<RenderedOutput.File> files = new ArrayList<>();
            for (int i = 0; i < at.size(); i++) {
                String name = stillName(i + 1, format);
                files.add(new RenderedOutput.File(name, outDir.resolve(name), format.contentType()));
            }
            if (sprite) {
                double end = duration > 0 ? duration : at.get(at.size() - 1) + (every != null ? every : 1);
                files.addAll(writeSprite(tiles, at, end, size, format, outDir, written));
            }
            MediaInfo media;
            try {
                media = MediaProbe.probe(files.get(0).local());
            } catch (MediaException e) {
                throw new MediaException(FailureCode.INTERNAL, "the written still cannot be read back", e);
            }
            success = true;
            return new RenderedOutput(spec.name(), spec.type(), List.copyOf(files), media);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write thumbnails", e);
        } finally {
            FFmpegSupport.closeQuietly(grabber);
            if (!success) {
                written.forEach(ImageFiles::deleteQuietly);
            }
        }
    }

    /** {@code thumb-00001.jpg}: 1-based, five digits (more digits past 99999). */
    static String stillName(int number, ImageFormat format) {
        return String.format(Locale.ROOT, "thumb-%05d.%s", number, format.extension());
    }

    /**
     * @return the times of the stills from the video's start, or null when the video's length is unknown (then
     *         every N seconds until it ends)
     */
    static double[] times(Integer count, Double everySeconds, double duration) throws MediaException {
        if (count != null) { // N stills evenly spaced, the first at 0 (the rulebook refuses count with every_seconds)
            if (duration <= 0) {
                throw new MediaException(FailureCode.INVALID_OUTPUT,
                        "the input's duration is unknown, so it cannot be split into " + count + " stills");
            }
            if (count > MAX_STILLS) {
                throw new MediaException(FailureCode.INVALID_OUTPUT, "count must be at most " + MAX_STILLS);
            }
            double[] times = new double[count];
            for (int i = 0; i < count; i++) {
                times[i] = i * duration / count;
            }
            return times;
        }
        double every = everySeconds != null ? everySeconds : DEFAULT_EVERY_SECONDS;
        if (duration <= 0) {
            return null;
        }
        // 0, N, 2N, ... while inside the video; a video shorter than N has one still, at 0
        long n = Math.max(1, (long) Math.ceil(duration / every - 1e-9));
        if (n > MAX_STILLS) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "that would be " + n + " stills, more than "
                    + MAX_STILLS + "; use a larger every_seconds or a count");
        }
        double[] times = new double[(int) n];
        for (int i = 0; i < n; i++) {
            times[i] = i * every;
        }
        return times;
    }

    /** Decodes in order up to the first frame shown at or after {@code t} (inputs that cannot seek). */
    private static AVFrame atOrAfter(StillFrames frames, double t, Stats stats) {
        stats.sequential = true;
        frames.intraOnly(false);
        frames.resume();
        AVFrame f;
        while ((f = frames.next()) != null) {
            double ft = frames.seconds(f);
            if (Double.isNaN(ft) || ft >= t - 1e-6) {
                return f;
            }
        }
        return null;
    }

    /** Length of the video stream, else of the container; 0 when neither says. */
    private static double videoDuration(FFmpegFrameGrabber grabber) {
        AVStream st = grabber.getFormatContext().streams(grabber.getVideoStream());
        AVRational tb = st.time_base();
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0 && tb.num() > 0 && tb.den() > 0) {
            return st.duration() * (double) tb.num() / tb.den();
        }
        long us = FFmpegSupport.durationMicros(grabber);
        return us > 0 ? us / 1_000_000.0 : 0;
    }

    /** Grid layout: up to {@link #SPRITE_COLUMNS} columns, more when the sheet would pass the format's height. */
    record Grid(int columns, int rows, int tileWidth, int tileHeight) {
        int x(int i) {
            return (i % columns) * tileWidth;
        }

        int y(int i) {
            return (i / columns) * tileHeight;
        }

        int width() {
            return columns * tileWidth;
        }

        int height() {
            return rows * tileHeight;
        }
    }

    static Grid grid(int stills, BoxFit.Size tile, ImageFormat format) throws MediaException {
        int maxSide = format == ImageFormat.WEBP ? 16383 : 65500; // WebP and JPEG limits
        int columns = Math.min(SPRITE_COLUMNS, stills);
        int maxRows = Math.max(1, maxSide / tile.height());
        if ((stills + columns - 1) / columns > maxRows) {
            columns = (stills + maxRows - 1) / maxRows;
        }
        int rows = (stills + columns - 1) / columns;
        Grid grid = new Grid(columns, rows, tile.width(), tile.height());
        if (grid.width() > maxSide || (long) grid.width() * grid.height() > MAX_SPRITE_PIXELS) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "a sprite of " + stills + " stills of " + tile
                    + " is too large; use fewer stills or a smaller width");
        }
        return grid;
    }

    private static List<RenderedOutput.File> writeSprite(List<BufferedImage> tiles, List<Double> at, double end,
            BoxFit.Size size, ImageFormat format, Path outDir, List<Path> written)
            throws MediaException, IOException {
        Grid grid = grid(tiles.size(), size, format);
        BufferedImage sheet = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = sheet.createGraphics();
        try {
            for (int i = 0; i < tiles.size(); i++) {
                g.drawImage(tiles.get(i), grid.x(i), grid.y(i), null);
            }
        } finally {
            g.dispose();
        }
        String spriteName = SPRITE + "." + format.extension();
        Path spriteFile = outDir.resolve(spriteName);
        written.add(spriteFile);
        ImageFiles.write(sheet, format, spriteFile);

        Path vttFile = outDir.resolve(VTT);
        written.add(vttFile);
        Files.writeString(vttFile, vtt(at, end, grid, spriteName), StandardCharsets.UTF_8);
        return List.of(new RenderedOutput.File(spriteName, spriteFile, format.contentType()),
                new RenderedOutput.File(VTT, vttFile, "text/vtt"));
    }

    /** One cue per still, [t_i, t_i+1) and the last to the end, pointing at its tile of the sprite. */
    static String vtt(List<Double> at, double end, Grid grid, String spriteName) {
        StringBuilder sb = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < at.size(); i++) {
            double from = at.get(i);
            double to = i + 1 < at.size() ? at.get(i + 1) : Math.max(end, from + 0.001);
            sb.append('\n').append(i + 1).append('\n')
                    .append(vttTime(from)).append(" --> ").append(vttTime(to)).append('\n')
                    .append(spriteName).append("#xywh=").append(grid.x(i)).append(',').append(grid.y(i)).append(',')
                    .append(grid.tileWidth()).append(',').append(grid.tileHeight()).append('\n');
        }
        return sb.toString();
    }

    /** {@code hh:mm:ss.mmm}. */
    static String vttTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }
}
