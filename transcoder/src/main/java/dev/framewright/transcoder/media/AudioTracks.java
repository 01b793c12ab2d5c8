package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;

/**
 * Which audio stream of the input an output takes. Without a choice: the stream flagged default
 * ({@code AV_DISPOSITION_DEFAULT}), else the first (JavaCV alone takes the first stream, or one whose disposition is
 * exactly 0 over a flagged one, which is not what a player would play). With {@code audioTrack}: a 0-based index
 * among the audio streams, or an ISO 639 language ({@code fr}, {@code fra} and {@code fre} are one language; of
 * several streams in it, the default-flagged one, else the first).
 */
final class AudioTracks {

    /** One audio stream of the input. */
    record Track(int streamIndex, String language, boolean isDefault, int channels, int sampleRate) {
        Track(int streamIndex, String language, boolean isDefault) {
            this(streamIndex, language, isDefault, 0, 0);
        }
    }

    private AudioTracks() {
    }

    static List<Track> of(AVFormatContext oc) {
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            if (st.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                tracks.add(new Track(i, language(st), (st.disposition() & AV_DISPOSITION_DEFAULT) != 0,
                        st.codecpar().ch_layout().nb_channels(), st.codecpar().sample_rate()));
            }
        }
        return tracks;
    }

    /**
     * @return the file index of the chosen stream, or -1 when the input has no audio stream
     * @throws MediaException {@code INVALID_OUTPUT} when no stream matches {@code audioTrack}
     */
    static int choose(List<Track> tracks, String audioTrack) throws MediaException {
        if (tracks.isEmpty()) {
            return -1;
        }
        String asked = audioTrack == null ? "" : audioTrack.trim();
        if (asked.isEmpty()) {
            return preferDefault(tracks);
        }
        if (asked.chars().allMatch(Character::isDigit)) {
            int k = asked.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(asked);
            if (k >= tracks.size()) {
                throw OutputPlans.invalid("audioTrack " + asked + " does not exist: the input has " + tracks.size()
                        + " audio track" + (tracks.size() == 1 ? "" : "s") + " (0-based)");
            }
            return tracks.get(k).streamIndex();
        }
        if (!dev.framewright.events.rules.OutputRules.AUDIO_TRACK.matcher(asked).matches()) {
            throw OutputPlans.invalid("audioTrack must be a 0-based track index or an ISO 639 language code, was '"
                    + audioTrack + "'");
        }
        String want = iso3(asked);
        List<Track> matching = tracks.stream().filter(t -> t.language() != null && iso3(t.language()).equals(want))
                .toList();
        if (matching.isEmpty()) {
            List<String> have = tracks.stream().map(t -> t.language() == null ? "und" : t.language()).toList();
            throw OutputPlans.invalid("the input has no audio track in '" + asked + "'; its tracks are " + have);
        }
        return preferDefault(matching);
    }

    private static int preferDefault(List<Track> tracks) {
        return tracks.stream().filter(Track::isDefault).findFirst().orElse(tracks.get(0)).streamIndex();
    }

    /** ISO 639-2/T for a 639-1 or 639-2 code; the bibliographic codes of the common languages map to theirs. */
    static String iso3(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        switch (c) {
            case "fre": return "fra";
            case "ger": return "deu";
            case "dut": return "nld";
            case "chi": return "zho";
            case "cze": return "ces";
            case "gre": return "ell";
            case "per": return "fas";
            case "rum": return "ron";
            case "slo": return "slk";
            case "arm": return "hye";
            case "baq": return "eus";
            case "bur": return "mya";
            case "geo": return "kat";
            case "ice": return "isl";
            case "mac": return "mkd";
            case "mao": return "mri";
            case "may": return "msa";
            case "tib": return "bod";
            case "wel": return "cym";
            case "alb": return "sqi";
            default:
                break;
        }
        if (c.length() == 2) {
            try {
                return Locale.forLanguageTag(c).getISO3Language();
            } catch (MissingResourceException e) {
                return c;
            }
        }
        return c;
    }

    private static String language(AVStream st) {
        if (st.metadata() == null) {
            return null;
        }
        AVDictionaryEntry e = av_dict_get(st.metadata(), "language", null, 0);
        if (e == null || e.value() == null) {
            return null;
        }
        String lang = e.value().getString().trim();
        return lang.isEmpty() || lang.equalsIgnoreCase("und") ? null : lang;
    }
}
