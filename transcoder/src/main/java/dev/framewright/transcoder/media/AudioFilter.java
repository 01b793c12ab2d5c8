package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import dev.framewright.events.FailureCode;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A libavfilter audio chain ({@code abuffer -> chain -> abuffersink}) fed with the decoder's own frames, so the graph
 * knows the real channel layout (a 5.1(side) and a 5.1 downmix alike; a stream without a layout gets the default one
 * for its channel count). Built on the first frame, built again when the format changes. Timestamps are samples at the
 * input rate. Used by one thread.
 */
final class AudioFilter implements AutoCloseable {

    private static final int EAGAIN = -11;

    private final String chain;
    private final AVFrame out = av_frame_alloc();
    private AVFilterGraph graph;
    private AVFilterContext source;
    private AVFilterContext sink;
    private int rate = -1;
    private int format = -1;
    private int channels = -1;

    /** @param chain the filters between source and sink; it must end in planar float ({@code aformat=...fltp}) */
    AudioFilter(String chain) {
        this.chain = chain;
    }

    String chain() {
        return chain;
    }

    void push(AVFrame samples) throws MediaException {
        if (graph == null || samples.sample_rate() != rate || samples.format() != format
                || samples.ch_layout().nb_channels() != channels) {
            configure(samples);
        }
        int ret = av_buffersrc_add_frame_flags(source, samples, AV_BUFFERSRC_FLAG_KEEP_REF);
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "the audio filter " + chain + " refused a frame (" + ret
                    + ")");
        }
    }

    /** Ends the input: what the chain still holds comes out of {@link #pull()}. */
    void end() {
        if (source != null) {
            av_buffersrc_add_frame_flags(source, null, 0);
        }
    }

    /** The next filtered frame (owned by this filter, valid until the next pull), or null for none yet / the end. */
    AVFrame pull() throws MediaException {
        if (sink == null) {
            return null;
        }
        av_frame_unref(out);
        int ret = av_buffersink_get_frame(sink, out);
        if (ret >= 0) {
            return out;
        }
        if (ret == EAGAIN || ret == AVERROR_EOF()) {
            return null;
        }
        throw new MediaException(FailureCode.INTERNAL, "the audio filter " + chain + " failed (" + ret + ")");
    }

    /** A number the chain wrote into the frame's metadata (e.g. {@code lavfi.r128.I}), or null. */
    static Double metadata(AVFrame frame, String key) {
        if (frame.metadata() == null) {
            return null;
        }
        AVDictionaryEntry e = av_dict_get(frame.metadata(), key, null, 0);
        if (e == null || e.value() == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(e.value().getString().trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Heap copies of a planar float frame's channels, as {@link Sink.AudioItem} samples. */
    static Buffer[] planarFloats(AVFrame frame) {
        if (frame.format() != AV_SAMPLE_FMT_FLTP) {
            throw new IllegalStateException("the audio chain must end in fltp, gave format " + frame.format());
        }
        int n = frame.nb_samples();
        int ch = frame.ch_layout().nb_channels();
        Buffer[] planes = new Buffer[ch];
        for (int c = 0; c < ch; c++) {
            float[] a = new float[n];
            new FloatPointer(frame.extended_data(c)).capacity(n).get(a);
            planes[c] = FloatBuffer.wrap(a);
        }
        return planes;
    }

    private void configure(AVFrame first) throws MediaException {
        reset();
        rate = first.sample_rate();
        format = first.format();
        channels = first.ch_layout().nb_channels();
        String layout = describe(first.ch_layout(), channels);
        graph = avfilter_graph_alloc();
        if (graph == null) {
            throw new MediaException(FailureCode.INTERNAL, "cannot allocate a filter graph");
        }
        String args = String.format(Locale.ROOT, "time_base=1/%d:sample_rate=%d:sample_fmt=%d:channel_layout=%s",
                rate, rate, format, layout);
        source = new AVFilterContext();
        sink = new AVFilterContext();
        AVFilterInOut outputs = avfilter_inout_alloc();
        AVFilterInOut inputs = avfilter_inout_alloc();
        try {
            check(avfilter_graph_create_filter(source, avfilter_get_by_name("abuffer"), "in", args, null, graph),
                    "create the source of");
            check(avfilter_graph_create_filter(sink, avfilter_get_by_name("abuffersink"), "out", null, null, graph),
                    "create the sink of");
            outputs.name(av_strdup(new BytePointer("in"))).filter_ctx(source).pad_idx(0).next(null);
            inputs.name(av_strdup(new BytePointer("out"))).filter_ctx(sink).pad_idx(0).next(null);
            check(avfilter_graph_parse_ptr(graph, chain, inputs, outputs, (Pointer) null), "parse");
            check(avfilter_graph_config(graph, null), "configure");
        } catch (MediaException e) {
            reset();
            throw e;
        } finally {
            avfilter_inout_free(inputs);
            avfilter_inout_free(outputs);
        }
    }

    /** The layout's name (e.g. {@code 5.1(side)}); the default for the count when the stream names none. */
    private static String describe(AVChannelLayout layout, int channels) {
        BytePointer buf = new BytePointer(128);
        try {
            if (layout.order() == AV_CHANNEL_ORDER_UNSPEC) {
                AVChannelLayout def = new AVChannelLayout();
                av_channel_layout_default(def, channels);
                av_channel_layout_describe(def, buf, 128);
                av_channel_layout_uninit(def);
            } else {
                av_channel_layout_describe(layout, buf, 128);
            }
            return buf.getString();
        } finally {
            buf.close();
        }
    }

    private void reset() {
        av_frame_unref(out);
        if (graph != null) {
            avfilter_graph_free(graph);
            graph = null;
            source = null;
            sink = null;
        }
    }

    private void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "cannot " + what + " the audio filter " + chain + " ("
                    + ret + ")");
        }
    }

    @Override
    public void close() {
        reset();
        av_frame_free(out);
    }
}
