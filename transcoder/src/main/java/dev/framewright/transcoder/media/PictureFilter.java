package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
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
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import dev.framewright.events.FailureCode;
import java.util.Locale;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A libavfilter chain ({@code buffer -> chain -> buffersink}) fed with decoded {@link AVFrame}s as they come out of
 * the decoder (referenced, not copied), built on the first picture and built again when the picture size or format
 * changes mid-stream. Timestamps are microseconds. Used by one thread.
 */
final class PictureFilter implements AutoCloseable {

    private static final int EAGAIN = -11;
    private static final AVRational MICROSECONDS = av_make_q(1, 1_000_000);

    private final String chain;
    private final int sarNum;
    private final int sarDen;
    private final AVFrame out = av_frame_alloc();
    private AVFilterGraph graph;
    private AVFilterContext source;
    private AVFilterContext sink;
    private int width = -1;
    private int height = -1;
    private int format = -1;

    /** @param chain the filters between source and sink, e.g. {@code transpose=clock,format=yuv420p} */
    PictureFilter(String chain, int sarNum, int sarDen) {
        this.chain = chain;
        this.sarNum = sarNum > 0 && sarDen > 0 ? sarNum : 1;
        this.sarDen = sarNum > 0 && sarDen > 0 ? sarDen : 1;
    }

    String chain() {
        return chain;
    }

    /** Sends one picture; its pts is set to {@code ptsMicros}. */
    void push(AVFrame picture, long ptsMicros) throws MediaException {
        if (graph == null || picture.width() != width || picture.height() != height || picture.format() != format) {
            configure(picture); // a size or format change drops what the old graph still held (bwdif: one frame)
        }
        picture.pts(ptsMicros);
        int ret = av_buffersrc_add_frame_flags(source, picture, AV_BUFFERSRC_FLAG_KEEP_REF);
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "the picture filter " + chain + " refused a frame ("
                    + ret + ")");
        }
    }

    /** Ends the input: the frames the chain still holds come out of {@link #pull()}. */
    void end() {
        if (source != null) {
            av_buffersrc_add_frame_flags(source, null, 0);
        }
    }

    /**
     * The next filtered picture (owned by this filter, valid until the next pull or reset; pts in microseconds), or
     * null when the chain needs more input or has ended.
     */
    AVFrame pull() throws MediaException {
        if (sink == null) {
            return null;
        }
        av_frame_unref(out);
        int ret = av_buffersink_get_frame(sink, out);
        if (ret >= 0) {
            // back to microseconds: bwdif halves the time base (it could send one frame per field)
            AVRational tb = av_buffersink_get_time_base(sink);
            if (out.pts() != AV_NOPTS_VALUE && (tb.num() != 1 || tb.den() != 1_000_000)) {
                out.pts(av_rescale_q(out.pts(), tb, MICROSECONDS));
            }
            return out;
        }
        if (ret == EAGAIN || ret == AVERROR_EOF()) {
            return null;
        }
        throw new MediaException(FailureCode.INTERNAL, "the picture filter " + chain + " failed (" + ret + ")");
    }

    /** Drops the graph (and what it holds); the next push builds a fresh one. */
    void reset() {
        av_frame_unref(out);
        if (graph != null) {
            avfilter_graph_free(graph);
            graph = null;
            source = null;
            sink = null;
        }
    }

    private void configure(AVFrame first) throws MediaException {
        reset();
        width = first.width();
        height = first.height();
        format = first.format();
        graph = avfilter_graph_alloc();
        if (graph == null) {
            throw new MediaException(FailureCode.INTERNAL, "cannot allocate a filter graph");
        }
        String args = String.format(Locale.ROOT,
                "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=%d/%d:colorspace=%d:range=%d",
                width, height, format, sarNum, sarDen, first.colorspace(), first.color_range());
        source = new AVFilterContext();
        sink = new AVFilterContext();
        AVFilterInOut outputs = avfilter_inout_alloc();
        AVFilterInOut inputs = avfilter_inout_alloc();
        try {
            check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args, null, graph),
                    "create the source of");
            check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", null, null, graph),
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

    private void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.INTERNAL, "cannot " + what + " the picture filter " + chain
                    + " (" + ret + ")");
        }
    }

    @Override
    public void close() {
        reset();
        av_frame_free(out);
    }
}
