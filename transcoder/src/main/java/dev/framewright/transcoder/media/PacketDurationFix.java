package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.framewright.events.FailureCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Rewrites a file we just encoded, correcting its audio packet durations. JavaCV's recorder (1.5.14) rescales audio
 * packet timestamps from the encoder's time base (1/sample rate) to the stream's but leaves the duration in samples;
 * containers whose stream time base differs (WebM/Matroska: 1/1000) then claim e.g. 960 ms per 20 ms Opus packet and
 * report a track almost a second too long. A packet-level remux, no re-encoding. Only our own outputs are opened
 * here (inputs go through {@link FFmpegSupport#open}).
 */
final class PacketDurationFix {

    private PacketDurationFix() {
    }

    /** @param audioSampleRate the audio encoder's rate (its time base is 1/rate) */
    static void fixAudioDurations(Path file, String format, int audioSampleRate) throws MediaException {
        Path tmp = file.resolveSibling(file.getFileName() + ".remux");
        AVFormatContext in = new AVFormatContext(null);
        AVFormatContext out = new AVFormatContext(null);
        AVPacket pkt = av_packet_alloc();
        boolean ok = false;
        try {
            check(avformat_open_input(in, file.toString(), null, (AVDictionary) null), "open");
            check(avformat_find_stream_info(in, (AVDictionary) null), "read");
            check(avformat_alloc_output_context2(out, null, format, tmp.toString()), "create");
            for (int i = 0; i < in.nb_streams(); i++) {
                AVStream is = in.streams(i);
                AVStream os = avformat_new_stream(out, null);
                check(avcodec_parameters_copy(os.codecpar(), is.codecpar()), "copy");
                os.codecpar().codec_tag(0);
                os.time_base(is.time_base());
            }
            if ((out.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                check(avio_open(pb, tmp.toString(), AVIO_FLAG_WRITE), "write");
                out.pb(pb);
            }
            check(avformat_write_header(out, (AVDictionary) null), "write the header of");
            while (av_read_frame(in, pkt) >= 0) {
                AVStream is = in.streams(pkt.stream_index());
                AVStream os = out.streams(pkt.stream_index());
                if (is.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO && pkt.duration() > 0) {
                    pkt.duration(av_rescale_q(pkt.duration(), av_make_q(1, audioSampleRate), is.time_base()));
                }
                av_packet_rescale_ts(pkt, is.time_base(), os.time_base());
                pkt.pos(-1);
                int ret = av_interleaved_write_frame(out, pkt);
                av_packet_unref(pkt);
                check(ret, "write");
            }
            check(av_write_trailer(out), "finish");
            ok = true;
        } finally {
            av_packet_free(pkt);
            avformat_close_input(in);
            if (out.pb() != null) {
                avio_closep(out.pb());
            }
            if (!out.isNull()) {
                avformat_free_context(out);
            }
        }
        try {
            if (ok) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot replace " + file.getFileName(), e);
        } finally {
            ScratchFiles.deleteQuietly(tmp);
        }
    }

    private static void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "cannot " + what + " the encoded file (error " + ret
                    + ")");
        }
    }
}
