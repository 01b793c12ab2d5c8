package dev.framewright.bench;

import dev.framewright.events.Container;
import dev.framewright.events.HlsOutput;
import dev.framewright.events.ImageFormat;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputSpec;
import dev.framewright.events.ThumbnailsOutput;
import dev.framewright.events.VideoOutput;
import dev.framewright.transcoder.media.MediaPipeline;
import dev.framewright.transcoder.media.MediaProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Our media pipeline against the ffmpeg CLI, case by case, in one warm JVM: {@link MediaPipeline#render} is called
 * directly (the JVM start and the native libraries are paid once, as in a running transcoder), alternating with the
 * peers (the bytedeco ffmpeg CLI, Debian's ffmpeg) on the same input, run after run.
 *
 * <p>Peak RSS: ours is this JVM's VmHWM, reset before each of our runs through {@code /proc/self/clear_refs} (so it is
 * the peak of a warm JVM running that one job, heap already grown by earlier cases included); the peers' is
 * {@code /usr/bin/time -f %M}. Writes one JSON object per case to {@code --results}.
 *
 * <pre>
 * MediaBench --inputs DIR --work DIR --results FILE --reps N --cases a,b --peer PATH [--debian PATH]
 * MediaBench --print-peer     (the path of the ffmpeg CLI in the bytedeco jar)
 * </pre>
 */
public final class MediaBench {

    /** One way of producing the case's outputs, timed as one run. */
    interface Runner {
        void run(Path out) throws Exception;
    }

    record Contender(String name, Runner runner, boolean ours) {
    }

    record Case(String id, String title, String target, Path input, List<Contender> contenders) {
    }

    private final Map<String, String> opts;
    private final Path inputs;
    private final Path work;

    private MediaBench(Map<String, String> opts) {
        this.opts = opts;
        this.inputs = Path.of(opts.get("inputs"));
        this.work = Path.of(opts.get("work"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--print-peer")) {
            System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
            return;
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new MediaBench(opts).runAll();
    }

    private void runAll() throws Exception {
        int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
        List<String> wanted = Arrays.asList(opts.get("cases").split(","));
        Path results = Path.of(opts.get("results"));
        Files.createDirectories(work);
        warmUp();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8))) {
            for (String id : wanted) {
                Case c = build(id);
                log("case " + c.id() + ": " + c.title() + " on " + c.input().getFileName());
                w.println(measure(c, reps));
                w.flush();
            }
        }
    }

    /** Loads the natives and JIT-compiles the pipeline on a short clip, so the first timed run is warm. */
    private void warmUp() throws Exception {
        Path clip = inputs.resolve("warmup.mp4");
        long t0 = System.nanoTime();
        ours(clip, List.of(VideoOutput.of("v", null, 360), new HlsOutput("h", List.of(new HlsOutput.Rendition(360,
                800)), 2.0), new ThumbnailsOutput("t", 1.0, null, 160, null, null))).run(work.resolve("warmup"));
        Path image = inputs.resolve("image-12mp.jpg");
        ours(image, List.of(new ImageOutput("i", 100, 100, ImageOutput.Fit.COVER, null, ImageFormat.JPG)))
                .run(work.resolve("warmup"));
        log(String.format(Locale.ROOT, "warm-up %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    // ------------------------------------------------------------------ the cases

    private Case build(String id) {
        String peer = opts.get("peer");
        String debian = opts.get("debian");
        String clipName = opts.getOrDefault("clip", "clip-60s.mp4");
        Path clip = inputs.resolve(clipName);
        List<String> x264 = List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt",
                "yuv420p", "-g", "60");
        List<String> aac = List.of("-c:a", "aac", "-b:a", "128k", "-ac", "2");
        List<Contender> cs = new ArrayList<>();
        switch (id) {
            case "720p" -> {
                cs.add(new Contender("framewright", ours(clip, List.of(VideoOutput.of("web", null, 720))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0], cli(p[1], clip, out -> join(List.of("-vf", "scale=-2:720"), x264,
                            List.of("-crf", "23"), aac, List.of("-movflags", "+faststart", out.resolve("web.mp4")
                                    .toString()))), false));
                }
                return new Case(id, "1080p -> 720p H.264 (veryfast, CRF 23) + AAC", "<= 1.05x ffmpeg", clip, cs);
            }
            case "3renditions" -> {
                cs.add(new Contender("framewright", ours(clip, List.of(VideoOutput.of("r720", null, 720),
                        VideoOutput.of("r480", null, 480), VideoOutput.of("r360", null, 360))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0], cli(p[1], clip, out -> {
                        List<String> a = new ArrayList<>(List.of("-filter_complex",
                                "[0:v]split=3[a][b][c];[a]scale=-2:720[o1];[b]scale=-2:480[o2];[c]scale=-2:360[o3]"));
                        for (int i = 1; i <= 3; i++) {
                            a.addAll(List.of("-map", "[o" + i + "]", "-map", "0:a"));
                            a.addAll(x264);
                            a.addAll(List.of("-crf", "23"));
                            a.addAll(aac);
                            a.addAll(List.of("-movflags", "+faststart", out.resolve("r" + i + ".mp4").toString()));
                        }
                        return a;
                    }), false));
                }
                String[] bytedeco = peers(peer, debian).get(0);
                cs.add(new Contender("ffmpeg-bytedeco x3 separate", out -> {
                    for (int h : new int[] {720, 480, 360}) {
                        cli(bytedeco[1], clip, o -> join(List.of("-vf", "scale=-2:" + h), x264, List.of("-crf", "23"),
                                aac, List.of("-movflags", "+faststart", o.resolve("r" + h + ".mp4").toString())))
                                .run(out);
                    }
                }, false));
                return new Case(id, "one decode -> 720p + 480p + 360p MP4", "<= 1.0x ffmpeg (one process)", clip, cs);
            }
            case "hls" -> {
                cs.add(new Contender("framewright", ours(clip, List.of(new HlsOutput("ladder", null, null))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0], cli(p[1], clip, out -> hlsArgs(out)), false));
                }
                return new Case(id, "HLS ladder 1080/720/480/360 (5000/2800/1400/800 kbit/s, 6 s segments)",
                        "<= 1.05x ffmpeg", clip, cs);
            }
            case "thumbs" -> {
                cs.add(new Contender("framewright", ours(clip, List.of(new ThumbnailsOutput("thumbs", 10.0, null, 160,
                        ImageFormat.JPG, false))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0] + " naive", cli(p[1], clip, out -> List.of("-vf",
                            "fps=1/10,scale=160:-2:out_range=full", out.resolve("t%04d.jpg").toString())), false));
                    cs.add(new Contender(p[0] + " skip_frame nokey", cli(List.of(p[1], "-skip_frame", "nokey"), clip,
                            out -> List.of("-vf", "fps=1/10,scale=160:-2:out_range=full", "-fps_mode", "vfr",
                                    out.resolve("t%04d.jpg").toString())), false));
                }
                return new Case(id, "thumbnails every 10 s, 160 px wide (JPEG)",
                        ">= 5x faster than naive; <= 1.2x skip_frame nokey", clip, cs);
            }
            case "remux" -> {
                // The source is already H.264/AAC 1080p30 MP4: asking for exactly that should be a stream copy.
                cs.add(new Contender("framewright", ours(clip, List.of(VideoOutput.of("same", null, null))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0] + " -c copy", cli(p[1], clip, out -> List.of("-c", "copy", "-movflags",
                            "+faststart", out.resolve("same.mp4").toString())), false));
                }
                return new Case(id, "remux: video output with the source's own codec and size", "<= 1.1x ffmpeg -c copy",
                        clip, cs);
            }
            case "image" -> {
                Path image = inputs.resolve("image-12mp.jpg");
                cs.add(new Contender("framewright", ours(image, List.of(new ImageOutput("poster", 100, 100,
                        ImageOutput.Fit.COVER, null, ImageFormat.JPG))), true));
                for (String[] p : peers(peer, debian)) {
                    cs.add(new Contender(p[0], cli(p[1], image, out -> List.of("-vf",
                            "scale=100:100:force_original_aspect_ratio=increase:flags=lanczos,crop=100:100",
                            "-frames:v", "1", "-update", "1", out.resolve("poster.jpg").toString())), false));
                }
                return new Case(id, "100x100 thumbnail (cover) of a 12 MP JPEG", "<= 1.1x ffmpeg", image, cs);
            }
            default -> throw new IllegalArgumentException("unknown case " + id);
        }
    }

    /** The same ladder as HlsLadder's defaults: bitrates, maxrate 1.1x, bufsize 2x, 6 s GOP, AAC per rung. */
    private static List<String> hlsArgs(Path out) {
        int[][] rungs = {{1920, 1080, 5000}, {1280, 720, 2800}, {854, 480, 1400}, {640, 360, 800}};
        List<String> a = new ArrayList<>(List.of("-filter_complex",
                "[0:v]split=4[a][b][c][d];[a]null[o0];[b]scale=1280:720[o1];[c]scale=854:480[o2];[d]scale=640:360[o3]"));
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < rungs.length; i++) {
            a.addAll(List.of("-map", "[o" + i + "]", "-map", "0:a"));
            a.addAll(List.of("-b:v:" + i, rungs[i][2] + "k", "-maxrate:v:" + i, (rungs[i][2] * 11 / 10) + "k",
                    "-bufsize:v:" + i, (rungs[i][2] * 2) + "k"));
            map.append(i == 0 ? "" : " ").append("v:").append(i).append(",a:").append(i).append(",name:")
                    .append(rungs[i][1]).append('p');
        }
        a.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-g", "180", "-keyint_min", "180", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_list_size", "0", "-start_number", "1",
                "-hls_flags", "independent_segments", "-master_pl_name", "master.m3u8", "-var_stream_map",
                map.toString(), "-hls_segment_filename", out.resolve("%v/seg-%05d.ts").toString(),
                out.resolve("%v/index.m3u8").toString()));
        return a;
    }

    private static List<String[]> peers(String peer, String debian) {
        List<String[]> p = new ArrayList<>();
        p.add(new String[] {"ffmpeg-bytedeco", peer});
        if (debian != null && !debian.isBlank()) {
            p.add(new String[] {"ffmpeg-debian", debian});
        }
        return p;
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    // ------------------------------------------------------------------ runners

    /** Probe + render, as the worker does with a downloaded input. */
    private static Runner ours(Path input, List<OutputSpec> outputs) {
        return out -> {
            MediaInfo info = MediaProbe.probe(input);
            MediaPipeline.Outcome outcome = MediaPipeline.render(input, info, outputs, Map.of(), out, null);
            if (!outcome.failed().isEmpty()) {
                throw new IllegalStateException("outputs failed: " + outcome.failed());
            }
        };
    }

    interface Args {
        List<String> of(Path out);
    }

    private static Runner cli(String exe, Path input, Args args) {
        return cli(List.of(exe), input, args);
    }

    /** {@code exe [pre...] -nostdin -y -i input args}, under /usr/bin/time for its peak RSS. */
    private static Runner cli(List<String> exeAndInputOptions, Path input, Args args) {
        return out -> {
            Files.createDirectories(out);
            for (String d : List.of("1080p", "720p", "480p", "360p")) {
                Files.createDirectories(out.resolve(d));
            }
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %U %S", "-o",
                    out.resolve("rss.txt").toString()));
            cmd.add(exeAndInputOptions.get(0));
            cmd.addAll(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
            cmd.addAll(exeAndInputOptions.subList(1, exeAndInputOptions.size()));
            cmd.addAll(List.of("-i", input.toString()));
            cmd.addAll(args.of(out));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.resolve("ffmpeg.log").toFile());
            Path dir = Path.of(exeAndInputOptions.get(0)).getParent();
            if (dir != null && exeAndInputOptions.get(0).contains(".javacpp")) {
                pb.environment().put("LD_LIBRARY_PATH", dir.toString()); // the jar's own libav*
            }
            int rc = pb.start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + rc + ": "
                        + Files.readString(out.resolve("ffmpeg.log")));
            }
            LAST_COMMAND.set(String.join(" ", cmd.subList(5, cmd.size())));
            String[] f = lastLine(out.resolve("rss.txt")).split(" ");
            SUM_RSS.set(Math.max(SUM_RSS.get(), Long.parseLong(f[0])));
            SUM_CPU.set(SUM_CPU.get() + Double.parseDouble(f[1]) + Double.parseDouble(f[2]));
        };
    }

    private static final ThreadLocal<String> LAST_COMMAND = new ThreadLocal<>();

    // ------------------------------------------------------------------ measuring

    private String measure(Case c, int reps) throws Exception {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, Long> rssKb = new LinkedHashMap<>();
        Map<String, String> commands = new LinkedHashMap<>();
        Map<String, Long> outBytes = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            // Alternate, and rotate who goes first, so drift in the machine's load hits everyone alike.
            List<Contender> order = new ArrayList<>(c.contenders());
            java.util.Collections.rotate(order, -r);
            for (Contender k : order) {
                Path out = work.resolve(c.id()).resolve(k.name().replaceAll("[^A-Za-z0-9]+", "-"));
                deleteTree(out);
                Files.createDirectories(out);
                if (k.ours()) {
                    resetPeakRss();
                }
                LAST_COMMAND.remove();
                double cpu0 = k.ours() ? processCpuSeconds() : 0;
                long t0 = System.nanoTime();
                k.runner().run(out);
                double s = (System.nanoTime() - t0) / 1e9;
                long rss;
                double cpuS;
                if (k.ours()) {
                    rss = peakRssKb();
                    cpuS = processCpuSeconds() - cpu0;
                } else { // the peak of its commands, and the sum of their CPU
                    rss = SUM_RSS.get();
                    cpuS = SUM_CPU.get();
                }
                SUM_RSS.set(0L);
                SUM_CPU.set(0.0);
                cpu.computeIfAbsent(k.name(), x -> new ArrayList<>()).add(cpuS);
                times.computeIfAbsent(k.name(), x -> new ArrayList<>()).add(s);
                rssKb.merge(k.name(), rss, Math::max);
                outBytes.put(k.name(), size(out));
                if (LAST_COMMAND.get() != null) {
                    commands.put(k.name(), LAST_COMMAND.get());
                }
                log(String.format(Locale.ROOT, "  %-34s run %d: %7.3f s  cpu %7.2f s  peak RSS %d MB", k.name(), r + 1,
                        s, cpuS, rss / 1024));
            }
        }
        StringBuilder j = new StringBuilder("{\"case\":").append(q(c.id())).append(",\"title\":").append(q(c.title()))
                .append(",\"target\":").append(q(c.target())).append(",\"input\":").append(q(c.input().getFileName()
                        .toString())).append(",\"reps\":").append(reps).append(",\"contenders\":[");
        boolean first = true;
        for (Contender k : c.contenders()) {
            List<Double> t = times.get(k.name());
            j.append(first ? "" : ",").append("{\"name\":").append(q(k.name())).append(",\"ours\":").append(k.ours())
                    .append(",\"median_s\":").append(String.format(Locale.ROOT, "%.4f", median(t)))
                    .append(",\"runs_s\":").append(t.stream().map(x -> String.format(Locale.ROOT, "%.4f", x)).toList())
                    .append(",\"median_cpu_s\":").append(String.format(Locale.ROOT, "%.3f", median(cpu.get(k.name()))))
                    .append(",\"peak_rss_mb\":").append(rssKb.get(k.name()) / 1024)
                    .append(",\"output_bytes\":").append(outBytes.get(k.name()))
                    .append(",\"command\":").append(q(commands.getOrDefault(k.name(), k.ours()
                            ? "MediaPipeline.render (in-process, warm JVM)" : "(several commands)"))).append('}');
            first = false;
        }
        return j.append("]}").toString();
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Linux 4.0+: writing 5 to clear_refs resets VmHWM to the current RSS. */
    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            log("cannot reset the peak RSS: " + e);
        }
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.get(lines.size() - 1).trim();
    }

    /** user + system CPU of this whole process (every thread: decoders, encoders, GC, JIT), from /proc. */
    private static double processCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    }

    private static final ThreadLocal<Long> SUM_RSS = ThreadLocal.withInitial(() -> 0L);
    private static final ThreadLocal<Double> SUM_CPU = ThreadLocal.withInitial(() -> 0.0);

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().matches("rss.txt|ffmpeg.log"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void log(String s) {
        System.out.println("[media] " + s);
        System.out.flush();
    }
}
