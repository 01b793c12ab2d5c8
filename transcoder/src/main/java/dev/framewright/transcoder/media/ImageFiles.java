package dev.framewright.transcoder.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import dev.framewright.events.FailureCode;
import dev.framewright.events.ImageFormat;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes stills: JPEG and PNG with the JDK's ImageIO writers, WebP with FFmpeg's libwebp encoder (the JDK has none).
 * Images are {@code TYPE_3BYTE_BGR} or, with alpha, {@code TYPE_4BYTE_ABGR}.
 */
final class ImageFiles {

    /** JPEG quality 0..1; 0.9 is about {@code ffmpeg -q:v 2..3}. */
    static final float JPEG_QUALITY = 0.9f;
    /** libwebp quality 0..100 of the colour planes (alpha is kept losslessly). */
    static final String WEBP_QUALITY = "85";

    private ImageFiles() {
    }

    static void write(BufferedImage image, ImageFormat format, Path file) throws MediaException {
        switch (format) {
            case JPG -> writeJpeg(opaque(image), file);
            case PNG -> writePng(image, file);
            case WEBP -> writeWebp(image, file);
            default -> throw new MediaException(FailureCode.INVALID_OUTPUT, "unknown image format " + format);
        }
    }

    /** The image itself when opaque, else composed over white (JPEG has no alpha). */
    static BufferedImage opaque(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage flat = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = flat.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return flat;
    }

    /** A copy of a region as a standalone image of the same type (sub-images confuse the JDK's JPEG writer). */
    static BufferedImage copy(BufferedImage image, int x, int y, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, image.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(image, -x, -y, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Best-effort removal of a partial output. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException ignored) {
            // the job's scratch directory is removed anyway
        }
    }

    private static void writeJpeg(BufferedImage image, Path file) throws MediaException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new MediaException(FailureCode.INTERNAL, "no JPEG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        try (OutputStream out = Files.newOutputStream(file);
                ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + file.getFileName(), e);
        } finally {
            writer.dispose();
        }
    }

    private static void writePng(BufferedImage image, Path file) throws MediaException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new MediaException(FailureCode.INTERNAL, "no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + file.getFileName(), e);
        }
    }

    /** One frame through libwebp: its packet is a complete RIFF/WebP file (alpha only where some pixel needs it). */
    private static void writeWebp(BufferedImage image, Path file) throws MediaException {
        AVCodec codec = avcodec_find_encoder_by_name("libwebp");
        if (codec == null) {
            throw new MediaException(FailureCode.INVALID_OUTPUT, "this build of FFmpeg has no WebP encoder");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        AVCodecContext c = avcodec_alloc_context3(codec);
        AVFrame frame = av_frame_alloc();
        AVPacket packet = av_packet_alloc();
        AVDictionary options = new AVDictionary(null);
        try {
            c.width(width).height(height).pix_fmt(AV_PIX_FMT_BGRA).time_base(av_make_q(1, 1));
            av_dict_set(options, "quality", WEBP_QUALITY, 0);
            if (avcodec_open2(c, codec, options) < 0) {
                throw new MediaException(FailureCode.INTERNAL, "cannot open the WebP encoder");
            }
            frame.format(AV_PIX_FMT_BGRA).width(width).height(height);
            if (av_frame_get_buffer(frame, 0) < 0) {
                throw new MediaException(FailureCode.INTERNAL, "cannot allocate a " + width + "x" + height + " frame");
            }
            copyBgra(image, frame);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (avcodec_send_frame(c, frame) < 0 || avcodec_send_frame(c, null) < 0) {
                throw new MediaException(FailureCode.INTERNAL, "the WebP encoder refused the image");
            }
            while (avcodec_receive_packet(c, packet) >= 0) {
                byte[] data = new byte[packet.size()];
                packet.data().capacity(packet.size()).get(data);
                bytes.write(data, 0, data.length);
                av_packet_unref(packet);
            }
            if (bytes.size() == 0) {
                throw new MediaException(FailureCode.INTERNAL, "the WebP encoder wrote nothing");
            }
            Files.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new MediaException(FailureCode.INTERNAL, "cannot write " + file.getFileName(), e);
        } finally {
            av_dict_free(options);
            av_packet_free(packet);
            av_frame_free(frame);
            avcodec_free_context(c);
        }
    }

    private static void copyBgra(BufferedImage image, AVFrame frame) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        boolean alpha = image.getType() == BufferedImage.TYPE_4BYTE_ABGR;
        int stride = frame.linesize(0);
        BytePointer dst = frame.data(0).capacity((long) stride * height);
        byte[] row = new byte[width * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = x * 4;
                if (alpha) { // A B G R -> B G R A
                    int i = (y * width + x) * 4;
                    row[o] = src[i + 1];
                    row[o + 1] = src[i + 2];
                    row[o + 2] = src[i + 3];
                    row[o + 3] = src[i];
                } else { // B G R -> B G R A
                    int i = (y * width + x) * 3;
                    row[o] = src[i];
                    row[o + 1] = src[i + 1];
                    row[o + 2] = src[i + 2];
                    row[o + 3] = (byte) 0xff;
                }
            }
            dst.position((long) y * stride).put(row, 0, row.length);
        }
        dst.position(0);
    }
}
