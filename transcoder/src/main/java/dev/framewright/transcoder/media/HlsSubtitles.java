package dev.framewright.transcoder.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The subtitle renditions of an HLS ladder (RFC 8216 4.3.4.1, {@code TYPE=SUBTITLES}): per text subtitle track a
 * WebVTT media playlist {@code subs/{n}-{language}/index.m3u8} whose segments are cut on the video's segment
 * boundaries (a cue that spans a boundary is in both segments, as the RFC's WebVTT segmenting asks), each segment
 * starting with {@code X-TIMESTAMP-MAP} so players put cue time 0 on the video's first picture.
 */
final class HlsSubtitles {

    static final String GROUP = "subs";

    private static final Map<String, String> ISO1 = new HashMap<>();

    static {
        for (String two : Locale.getISOLanguages()) {
            try {
                ISO1.put(Locale.forLanguageTag(two).getISO3Language(), two);
            } catch (java.util.MissingResourceException ignored) {
                // no three-letter form: never in a container tag
            }
        }
    }

    private HlsSubtitles() {
    }

    /**
     * Writes every track's playlist and segments under {@code dir/subs/} and adds them to {@code files}.
     *
     * @param durations the video's segment durations, in order (the top rendition's; every rendition is cut alike)
     * @param mpegts    the 90 kHz presentation time of the video's first picture
     * @return the master playlist's {@code #EXT-X-MEDIA} lines
     */
    static String write(Path dir, List<Captions.Track> tracks, List<Double> durations, double segmentSeconds,
            long mpegts, List<RenderedOutput.File> files) throws IOException {
        StringBuilder media = new StringBuilder();
        Set<String> names = new HashSet<>();
        boolean defaultGiven = false;
        String map = "MPEGTS=" + mpegts + ",LOCAL=00:00:00.000";
        for (Captions.Track t : tracks) {
            String sub = "subs/" + t.baseName();
            Path trackDir = dir.resolve(sub);
            Files.createDirectories(trackDir);
            int target = (int) Math.ceil(durations.stream().mapToDouble(Double::doubleValue).max().orElse(
                    segmentSeconds) - 1e-3);
            StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:")
                    .append(Math.max(1, target)).append("\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
            Path index = trackDir.resolve("index.m3u8");
            files.add(new RenderedOutput.File(sub + "/index.m3u8", index, MediaPipeline.HLS_PLAYLIST));
            double from = 0;
            for (int i = 0; i < durations.size(); i++) {
                double to = from + durations.get(i);
                boolean last = i == durations.size() - 1;
                List<Captions.Cue> in = new ArrayList<>();
                for (Captions.Cue c : t.cues()) {
                    if (c.end() > from && (last || c.start() < to)) {
                        in.add(c);
                    }
                }
                String name = String.format(Locale.ROOT, "seg-%05d.vtt", i + 1);
                Path file = trackDir.resolve(name);
                Files.writeString(file, Captions.webvtt(in, map), StandardCharsets.UTF_8);
                files.add(new RenderedOutput.File(sub + "/" + name, file, CaptionsRenderer.VTT));
                playlist.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n%s\n", durations.get(i), name));
                from = to;
            }
            playlist.append("#EXT-X-ENDLIST\n");
            Files.writeString(index, playlist.toString(), StandardCharsets.UTF_8);

            String language = language(t.language());
            String name = name(t, language, names);
            boolean isDefault = t.isDefault() && !defaultGiven;
            defaultGiven |= isDefault;
            media.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(GROUP).append("\",NAME=\"").append(name)
                    .append('"');
            if (language != null) {
                media.append(",LANGUAGE=\"").append(language).append('"');
            }
            media.append(",DEFAULT=").append(isDefault ? "YES" : "NO").append(",AUTOSELECT=YES");
            if (t.forced()) {
                media.append(",FORCED=YES");
            }
            media.append(",URI=\"").append(sub).append("/index.m3u8\"\n");
        }
        return media.toString();
    }

    /** The BCP 47 tag players match against the viewer's language: ISO 639-1 where it exists ({@code eng}: en). */
    static String language(String tag) {
        if (tag == null || !tag.matches("[A-Za-z]{2,3}")) {
            return null;
        }
        String c = tag.toLowerCase(Locale.ROOT);
        if (c.length() == 2) {
            return c;
        }
        String three = AudioTracks.iso3(c);
        return ISO1.getOrDefault(three, three);
    }

    /** The title, else the language's English name, else "Subtitles n"; unique in the group. */
    private static String name(Captions.Track t, String language, Set<String> taken) {
        String name = t.title();
        if (name == null && language != null) {
            String display = Locale.forLanguageTag(language).getDisplayLanguage(Locale.ENGLISH);
            name = display.isEmpty() || display.equalsIgnoreCase(language) ? language : display;
            if (t.forced()) {
                name += " (forced)";
            }
        }
        if (name == null) {
            name = "Subtitles " + (t.number() + 1);
        }
        name = name.replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
        String unique = name;
        for (int n = 2; !taken.add(unique); n++) {
            unique = name + " " + n;
        }
        return unique;
    }
}
