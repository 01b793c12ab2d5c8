package dev.framewright.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.ImageOutput;
import dev.framewright.events.InputObject;
import dev.framewright.events.JobCompleted;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import dev.framewright.events.JobProgress;
import dev.framewright.events.JobRequested;
import dev.framewright.events.JobStarted;
import dev.framewright.events.MediaInfo;
import dev.framewright.events.OutputFile;
import dev.framewright.events.OutputResult;
import dev.framewright.events.OutputType;
import dev.framewright.events.Topics;
import dev.framewright.localstack.Framewright;
import dev.framewright.localstack.ServiceProcess;
import dev.framewright.localstack.StackConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The platform's own overhead on the local stack (Kafka, PostgreSQL, S3Proxy and the three packaged services on this
 * machine), through its public HTTP API: pickup latency and the end-to-end time of a tiny job on an idle system,
 * scaling with 1, 2 and 3 transcoders, tiny-job throughput with 2, status reads over 1,000,000 jobs and the
 * submission rate (both with wrk), projection rate and read-model lag, and job-api's memory while a 2 GB upload
 * streams through. Writes one JSON object per section to {@code --results}.
 *
 * <pre>
 * PlatformBench --root REPO --work DIR --inputs DIR --results FILE [--quick true] [--sections a,b]
 * </pre>
 */
public final class PlatformBench {

    static final String KEY = Framewright.DEV_API_KEY;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Load-test jobs go to this queue, which no transcoder of the bench serves: they stay queued in Kafka. */
    static final String UNSERVED_QUEUE = "express";

    private final Map<String, String> opts;
    private final boolean quick;
    private final Path work;
    private final Path inputs;
    private final Path repo;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Framewright system;
    private String api;
    private final List<ServiceProcess> extraTranscoders = new ArrayList<>();
    private PrintWriter results;

    private PlatformBench(Map<String, String> opts) {
        this.opts = opts;
        this.quick = Boolean.parseBoolean(opts.getOrDefault("quick", "false"));
        this.work = Path.of(opts.get("work")).toAbsolutePath();
        this.inputs = Path.of(opts.get("inputs")).toAbsolutePath();
        this.repo = Path.of(opts.get("root")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        PlatformBench bench = new PlatformBench(opts);
        int rc = 0;
        try {
            bench.run();
        } catch (Throwable e) {
            e.printStackTrace();
            rc = 1;
        } finally {
            bench.stop();
        }
        System.exit(rc);
    }

    private void run() throws Exception {
        List<String> sections = Arrays.asList(opts.getOrDefault("sections",
                "pickup,transcode,scaling,status,submit,projection,upload").split(","));
        deleteTree(work.resolve("stack"));
        Files.createDirectories(work.resolve("logs"));
        results = new PrintWriter(Files.newBufferedWriter(Path.of(opts.get("results")), StandardCharsets.UTF_8),
                true);
        Map<String, String> env = new LinkedHashMap<>();
        // A load test is one tenant at far above a developer's rate: lift the per-tenant limits, not the checks.
        env.put("FRAMEWRIGHT_LIMITS_REQUESTS_PER_SECOND", "1000000");
        env.put("FRAMEWRIGHT_LIMITS_BURST", "1000000");
        env.put("FRAMEWRIGHT_LIMITS_MAX_QUEUED_JOBS_PER_TENANT", opts.getOrDefault("max-queued", "100000000"));
        env.put("FRAMEWRIGHT_LIMITS_MAX_QUEUE_DEPTH", "1000000000");
        // Transcoders serve 'default' only; the submission load goes to 'express' and waits there.
        env.put("FRAMEWRIGHT_TRANSCODER_QUEUES", "default");
        env.putAll(extraEnv());
        int[] ports = freePorts(5);
        log("starting the local stack (" + (quick ? "quick" : "full") + " mode)");
        long t0 = System.nanoTime();
        system = Framewright.start(repo, StackConfig.ephemeral(work.resolve("stack")), new Framewright.Options(
                ports[0], ports[1], List.of(ports[2]), work.resolve("logs"), false, env));
        api = system.apiBaseUrl();
        log(String.format(Locale.ROOT, "stack up in %.0f s at %s", (System.nanoTime() - t0) / 1e9, api));
        extraPorts = new int[] {ports[3], ports[4]};

        if (sections.contains("pickup")) {
            pickup();
        }
        if (sections.contains("transcode") && opts.containsKey("peer")) {
            transcodeInService();
        }
        if (sections.contains("scaling")) {
            scaling();
        }
        if (sections.contains("projection")) {
            projection();
        }
        if (sections.contains("status")) {
            statusReads();
        }
        if (sections.contains("submit")) {
            submission();
        }
        if (sections.contains("upload")) {
            uploadMemory();
        }
    }

    private int[] extraPorts;

    /** FRAMEWRIGHT_BENCH_ENV="K=V,K=V": extra service environment (e.g. tuning experiments), recorded in results. */
    private static Map<String, String> extraEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        String extra = System.getenv("FRAMEWRIGHT_BENCH_ENV");
        if (extra != null && !extra.isBlank()) {
            for (String kv : extra.split(",")) {
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return env;
    }

    private void stop() {
        for (ServiceProcess p : extraTranscoders) {
            p.close();
        }
        if (system != null) {
            system.close();
        }
        if (results != null) {
            results.close();
        }
    }

    // ================================================================== pickup latency and end to end, idle

    record Timed(UUID id, Instant submitted, Instant accepted, Instant visible, JsonNode doc) {
    }

    private void pickup() throws Exception {
        int n = quick ? 20 : 60;
        byte[] tiny = Files.readAllBytes(inputs.resolve("tiny.jpg"));
        log("pickup: " + n + " tiny jobs one after another on an idle system (3 warm-up jobs first)");
        for (int i = 0; i < 3; i++) {
            tinyJob(tiny, true);
        }
        Thread.sleep(1000);
        List<Double> pickup = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> accept = new ArrayList<>();
        List<Double> run = new ArrayList<>();
        List<Double> visible = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Timed t = tinyJob(tiny, true);
            Instant started = Instant.parse(t.doc().get("started_at").asText());
            Instant finished = Instant.parse(t.doc().get("finished_at").asText());
            accept.add(ms(t.submitted(), t.accepted()));
            pickup.add(ms(t.accepted(), started));
            run.add(ms(started, finished));
            visible.add(ms(finished, t.visible()));
            e2e.add(ms(t.submitted(), t.visible()));
            Thread.sleep(200); // idle between jobs: every job finds the worker waiting in poll()
        }
        ObjectNode r = section("pickup");
        r.put("jobs", n);
        r.put("poll_interval_ms", POLL_MS);
        r.set("submit_to_202_ms", stats(accept));
        r.set("pickup_ms", stats(pickup));
        r.set("run_ms", stats(run));
        r.set("finished_to_visible_ms", stats(visible));
        r.set("e2e_ms", stats(e2e));
        emit(r);
    }

    static final int POLL_MS = 5;

    /** Submits a 100x100 thumbnail of a small JPEG (multipart) and, if asked, polls GET until it succeeded. */
    private Timed tinyJob(byte[] image, boolean await) throws Exception {
        String spec = "{\"outputs\":[{\"name\":\"thumb\",\"type\":\"image\",\"width\":100,\"height\":100,"
                + "\"fit\":\"cover\"}]}";
        Instant submitted = Instant.now();
        HttpResponse<String> res = postMultipart(spec, "tiny.jpg", "image/jpeg", image);
        Instant accepted = Instant.now();
        if (res.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + res.statusCode() + ": " + res.body());
        }
        UUID id = UUID.fromString(JSON.readTree(res.body()).get("id").asText());
        if (!await) {
            return new Timed(id, submitted, accepted, null, null);
        }
        JsonNode doc = awaitTerminal(id, Duration.ofSeconds(120), POLL_MS);
        Instant visible = Instant.now();
        if (!"succeeded".equals(doc.get("status").asText())) {
            throw new IllegalStateException("job " + id + " ended " + doc);
        }
        return new Timed(id, submitted, accepted, visible, doc);
    }

    private JsonNode awaitTerminal(UUID id, Duration timeout, int pollMs) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> res = get("/v1/jobs/" + id);
            if (res.statusCode() == 200) {
                JsonNode doc = JSON.readTree(res.body());
                String s = doc.get("status").asText();
                if (s.equals("succeeded") || s.equals("failed") || s.equals("canceled")) {
                    return doc;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " not finished within " + timeout);
            }
            Thread.sleep(pollMs);
        }
    }

    // ================================================================== 720p inside the running transcoder

    /**
     * The 1080p -> 720p case as a job through the running transcoder (idle, warm): JobStarted -> JobCompleted
     * (download from S3, probe, render, upload), alternating with the bytedeco ffmpeg CLI on the same file, and the
     * transcoder's peak RSS during the job (VmHWM, reset before through /proc/PID/clear_refs).
     */
    private void transcodeInService() throws Exception {
        Path clip = inputs.resolve(opts.getOrDefault("clip", "clip-60s.mp4"));
        int reps = quick ? 1 : 3;
        byte[] bytes = Files.readAllBytes(clip);
        long pid = system.transcoder().pid();
        List<Double> ours = new ArrayList<>();
        List<Double> peer = new ArrayList<>();
        List<Map<String, Double>> stages = new ArrayList<>();
        // CPU seconds: of the transcoder process during its job, and of the whole machine during each side's turn
        List<Double> oursCpu = new ArrayList<>();
        List<Double> oursBusy = new ArrayList<>();
        List<Double> peerBusy = new ArrayList<>();
        long peakKb = 0;
        Path out = work.resolve("transcode-peer");
        Files.createDirectories(out);
        log("720p inside the running transcoder: " + clip.getFileName() + ", " + reps + " run(s), alternating with "
                + "the bytedeco ffmpeg CLI");
        for (int i = 0; i < reps; i++) {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            double cpu0 = cpuSeconds(pid);
            double busy0 = machineBusySeconds();
            HttpResponse<String> res = postMultipart("{\"outputs\":[{\"name\":\"web\",\"type\":\"video\","
                    + "\"height\":720}]}", clip.getFileName().toString(), "video/mp4", bytes);
            UUID id = UUID.fromString(JSON.readTree(res.body()).get("id").asText());
            JsonNode doc = awaitTerminal(id, Duration.ofMinutes(15), 100);
            if (!doc.get("status").asText().equals("succeeded")) {
                throw new IllegalStateException("720p job ended " + doc);
            }
            peakKb = Math.max(peakKb, rssKb(pid, "VmHWM"));
            stages.add(stageSeconds(id));
            oursCpu.add(cpuSeconds(pid) - cpu0);
            oursBusy.add(machineBusySeconds() - busy0);
            double busy1 = machineBusySeconds();
            ours.add(ms(Instant.parse(doc.get("started_at").asText()), Instant.parse(doc.get("finished_at").asText()))
                    / 1000);
            long t0 = System.nanoTime();
            int rc = new ProcessBuilder(opts.get("peer"), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i",
                    clip.toString(), "-vf", "scale=-2:720", "-c:v", "libx264", "-preset", "veryfast", "-profile:v",
                    "high", "-pix_fmt", "yuv420p", "-g", "60", "-crf", "23", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                    "-movflags", "+faststart", out.resolve("web.mp4").toString()).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("ffmpeg exited " + rc);
            }
            peer.add((System.nanoTime() - t0) / 1e9);
            peerBusy.add(machineBusySeconds() - busy1);
            log(String.format(Locale.ROOT, "  run %d: transcoder %.2f s, ffmpeg %.2f s", i + 1, ours.get(i),
                    peer.get(i)));
        }
        ObjectNode r = section("transcode");
        r.put("input", clip.getFileName().toString());
        r.put("runs", reps);
        r.put("transcoder_median_s", round(median(ours), 3));
        r.put("ffmpeg_median_s", round(median(peer), 3));
        r.put("ratio", round(median(ours) / median(peer), 3));
        r.put("transcoder_peak_rss_mb", peakKb / 1024);
        r.put("transcoder_cpu_median_s", round(median(oursCpu), 2));
        r.put("machine_busy_median_s", round(median(oursBusy), 2));
        r.put("machine_busy_during_ffmpeg_median_s", round(median(peerBusy), 2));
        // where the job's time went: each stage's median, from the first progress event of each stage to the next
        ObjectNode stageMedians = r.putObject("stage_median_s");
        for (String stage : List.of("downloading", "probing", "transcoding", "uploading")) {
            List<Double> xs = stages.stream().map(m -> m.get(stage)).filter(java.util.Objects::nonNull).toList();
            if (!xs.isEmpty()) {
                stageMedians.put(stage, round(median(xs), 3));
            }
        }
        r.put("transcoder_heap", ProcessHandle.of(pid).flatMap(h -> h.info().arguments())
                .map(a -> String.join(" ", Arrays.asList(a).subList(0, Math.max(0, a.length - 2)))).orElse("?"));
        emit(r);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    // ================================================================== scaling with 1, 2, 3 transcoders

    private void scaling() throws Exception {
        int n = quick ? 12 : 30;
        byte[] tiny = Files.readAllBytes(inputs.resolve("tiny.jpg"));
        byte[] clip = Files.readAllBytes(inputs.resolve("warmup.mp4"));
        ObjectNode r = section("scaling");
        r.put("jobs_per_run", n);
        r.put("job", "5 s 1080p30 H.264/AAC clip (4.7 MB) -> 720p MP4 (veryfast, CRF 23)");
        for (int k = 1; k <= 3; k++) {
            if (k > 1) {
                int port = extraPorts[k - 2];
                Map<String, String> env = new LinkedHashMap<>();
                env.put("FRAMEWRIGHT_TRANSCODER_INSTANCE_ID", "transcoder-" + (k - 1));
                log("starting transcoder " + k);
                extraTranscoders.add(system.startExtra("transcoder-" + (k - 1), "transcoder", port, env));
                awaitGroupMembers(k);
                // the newcomer's first job loads the natives: warm it up like the first one was
                for (int i = 0; i < 2 * k; i++) {
                    tinyJob(tiny, false);
                }
                Thread.sleep(3000);
            }
            log("scaling: " + n + " short jobs on " + k + " transcoder(s)");
            Map<String, Double> cpu0 = cpuByComponent();
            ObjectNode run = batch(n, () -> postMultipart("{\"outputs\":[{\"name\":\"web\",\"type\":"
                    + "\"video\",\"height\":720}]}", "clip.mp4", "video/mp4", clip), 6);
            run.set("cpu_ms_per_job", cpuPer(cpu0, cpuByComponent(), n, null));
            r.set(k + "_transcoders", run);
            if (k == 2) {
                int m = quick ? 40 : 150;
                log("tiny-job throughput: " + m + " tiny jobs on 2 transcoders");
                Map<String, Double> tiny0 = cpuByComponent();
                ObjectNode tinyResult = batch(m, () -> postMultipart("{\"outputs\":[{\"name\":\"thumb\",\"type\":"
                        + "\"image\",\"width\":100,\"height\":100,\"fit\":\"cover\"}]}", "tiny.jpg", "image/jpeg",
                        tiny), 8);
                tinyResult.set("cpu_ms_per_job", cpuPer(tiny0, cpuByComponent(), m, null));
                ObjectNode t = section("tiny_throughput");
                t.put("transcoders", 2);
                t.setAll(tinyResult);
                emit(t);
            }
        }
        r.put("cores", Runtime.getRuntime().availableProcessors());
        emit(r);
    }

    interface Submit {
        HttpResponse<String> submit() throws Exception;
    }

    /** Submits n jobs from a few threads at once, then waits for all: throughput and per-job latency. */
    private ObjectNode batch(int n, Submit submit, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Instant t0 = Instant.now();
        List<Future<UUID>> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(pool.submit(() -> {
                HttpResponse<String> res = submit.submit();
                if (res.statusCode() != 202) {
                    throw new IllegalStateException("submit answered " + res.statusCode() + ": " + res.body());
                }
                return UUID.fromString(JSON.readTree(res.body()).get("id").asText());
            }));
        }
        List<Double> latency = new ArrayList<>();
        List<Double> queued = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        Instant last = t0;
        int failed = 0;
        for (Future<UUID> f : ids) {
            JsonNode doc = awaitTerminal(f.get(), Duration.ofMinutes(15), 50);
            if (!doc.get("status").asText().equals("succeeded")) {
                failed++;
                continue;
            }
            Instant created = Instant.parse(doc.get("created_at").asText());
            Instant started = Instant.parse(doc.get("started_at").asText());
            Instant finished = Instant.parse(doc.get("finished_at").asText());
            latency.add(ms(created, finished));
            queued.add(ms(created, started));
            running.add(ms(started, finished));
            if (finished.isAfter(last)) {
                last = finished;
            }
        }
        pool.shutdown();
        double seconds = ms(t0, last) / 1000;
        ObjectNode r = JSON.createObjectNode();
        r.put("jobs", n);
        r.put("failed", failed);
        r.put("wall_s", round(seconds, 2));
        r.put("jobs_per_s", round(n / seconds, 2));
        r.put("jobs_per_min", round(60 * n / seconds, 1));
        r.set("latency_ms", stats(latency));
        r.set("queued_ms", stats(queued));
        r.set("run_ms", stats(running));
        log("  " + r);
        return r;
    }

    private void awaitGroupMembers(int k) throws Exception {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                var d = admin.describeConsumerGroups(List.of("transcoder")).all().get().get("transcoder");
                long withPartitions = d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty())
                        .count();
                if (d.members().size() >= k && withPartitions >= k) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException(k + " transcoders did not all get partitions");
    }

    // ================================================================== status reads over 1,000,000 jobs

    private void statusReads() throws Exception {
        int rows = Integer.parseInt(opts.getOrDefault("status-rows", "1000000"));
        log("status reads: inserting " + rows + " jobs with generate_series");
        long t0 = System.nanoTime();
        try (Connection c = db(); Statement s = c.createStatement()) {
            // A real succeeded job's input, media and outputs, repeated under generated ids (10000000-…-<i>).
            int n = s.executeUpdate("""
                    INSERT INTO jobs (id, tenant, status, attempt, progress_percent, progress_stage, input, input_media,
                                      outputs, created_at, started_at, finished_at, updated_at, queue, labels,
                                      expires_at)
                    SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'default', 'succeeded', 1,
                           100, j.progress_stage, j.input, j.input_media, j.outputs,
                           now() - make_interval(secs => i), now() - make_interval(secs => i) + interval '1 second',
                           now() - make_interval(secs => i) + interval '2 seconds', now(), 'default', '{}',
                           now() + interval '7 days'
                    FROM generate_series(1, %d) i,
                         (SELECT * FROM jobs WHERE status = 'succeeded' AND tenant = 'default'
                          ORDER BY finished_at LIMIT 1) j
                    ON CONFLICT DO NOTHING""".formatted(rows));
            s.execute("ANALYZE jobs");
            if (n != rows) {
                throw new IllegalStateException("inserted " + n + " of " + rows + " (no succeeded job to copy?)");
            }
        }
        double insertS = (System.nanoTime() - t0) / 1e9;
        log(String.format(Locale.ROOT, "  inserted in %.1f s", insertS));
        int seconds = quick ? 15 : 30;
        Map<String, Double> cpu0 = cpuByComponent();
        JsonNode wrk = wrk("status.lua", api + "/v1/jobs/10000000-0000-4000-8000-000000000001", seconds, 2, 32,
                Map.of("ROWS", Integer.toString(rows)));
        Map<String, Double> cpu1 = cpuByComponent();
        ObjectNode r = section("status");
        r.put("rows", rows);
        r.put("insert_s", round(insertS, 1));
        r.put("duration_s", seconds);
        r.put("threads", 2);
        r.put("connections", 32);
        r.setAll((ObjectNode) wrk);
        r.set("cpu_ms_per_request", cpuPer(cpu0, cpu1, wrk.get("requests").asDouble(), wrk.get("wrk_cpu_s").asDouble()));
        emit(r);
    }

    // ================================================================== submission rate (JSON naming an upload)

    private void submission() throws Exception {
        int seconds = quick ? 15 : 60;
        int threads = 2;
        int connections = 16;
        int perThread = Integer.parseInt(opts.getOrDefault("uploads-per-thread", quick ? "40000" : "160000"));
        byte[] tiny = Files.readAllBytes(inputs.resolve("tiny.jpg"));
        log("submission: one real direct upload, cloned into " + threads * perThread + " unused uploads");
        long t0 = System.nanoTime();
        try (Connection c = db(); Statement s = c.createStatement()) {
            Path file = null;
            int links = 0;
            for (int t = 0; t < threads; t++) {
                // Storage: a hard link per upload (S3Proxy's filesystem backend: one file per object, metadata in
                // the inode's xattrs, so each link is a complete object); a fresh real upload every 50,000 links
                // (ext4 allows 65,000 per inode). Rows: what POST /v1/uploads inserts.
                for (int i = 1; i <= perThread; i++) {
                    if (file == null || links++ % 50_000 == 0) {
                        file = findObjectFile(directUpload(tiny));
                    }
                    Files.createLink(file.resolveSibling(uploadId(t, i).toString()), file);
                }
                s.executeUpdate("""
                        INSERT INTO uploads (id, tenant, key, filename, content_type, size, created_at, url_expires_at)
                        SELECT u, 'default', 'uploads/default/' || u, 'tiny.jpg', 'image/jpeg', %d, now(),
                               now() + interval '1 day'
                        FROM (SELECT ('2000000%d-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid AS u
                              FROM generate_series(1, %d) i) g""".formatted(tiny.length, t, perThread));
            }
            s.execute("ANALYZE uploads");
        }
        log(String.format(Locale.ROOT, "  prepared in %.1f s", (System.nanoTime() - t0) / 1e9));
        // one request by hand first: the script's body is right, and the connection pools are warm
        HttpResponse<String> probe = postJson("/v1/jobs", submitBody(uploadId(0, perThread)));
        if (probe.statusCode() != 202) {
            throw new IllegalStateException("JSON submit answered " + probe.statusCode() + ": " + probe.body());
        }
        long before = endOffsets(Topics.requests(UNSERVED_QUEUE));
        AtomicBoolean sampling = new AtomicBoolean(true);
        List<Double> lag = Collections.synchronizedList(new ArrayList<>());
        Thread sampler = new Thread(() -> sampleFoldLag(sampling, lag), "lag-sampler");
        sampler.start();
        profile("job-api-submit", system.api().pid(), true);
        Map<String, Double> cpu0 = cpuByComponent();
        JsonNode wrk = wrk("submit.lua", api + "/v1/jobs", seconds, threads, connections,
                Map.of("PER_THREAD", Integer.toString(perThread - 1)));
        Map<String, Double> cpu1 = cpuByComponent();
        profile("job-api-submit", system.api().pid(), false);
        sampling.set(false);
        sampler.join();
        long after = endOffsets(Topics.requests(UNSERVED_QUEUE));
        ObjectNode r = section("submit");
        r.put("duration_s", seconds);
        r.put("threads", threads);
        r.put("connections", connections);
        r.setAll((ObjectNode) wrk);
        long accepted = wrk.get("status_202").asLong();
        // Every 202 was answered after its record's ack, so the topic holds at least as many records; a few more
        // (at most one per connection) are requests wrk cut off at the end, published but never counted.
        r.put("records_in_kafka", after - before);
        r.put("every_202_in_kafka", after - before >= accepted && after - before <= accepted + connections);
        r.set("read_model_lag_ms", stats(lag));
        r.set("cpu_ms_per_request", cpuPer(cpu0, cpu1, wrk.get("requests").asDouble(), wrk.get("wrk_cpu_s").asDouble()));
        emit(r);
    }

    static UUID uploadId(int thread, int i) {
        return UUID.fromString(String.format("2000000%d-0000-4000-8000-%012x", thread, i));
    }

    static String submitBody(UUID upload) {
        return "{\"upload_id\":\"" + upload + "\",\"queue\":\"" + UNSERVED_QUEUE + "\",\"outputs\":[{\"name\":"
                + "\"thumb\",\"type\":\"image\",\"width\":100,\"height\":100,\"fit\":\"cover\"}]}";
    }

    /** POST /v1/uploads, then PUT to the presigned URL: the documented path for large files. */
    private String directUpload(byte[] bytes) throws Exception {
        HttpResponse<String> res = postJson("/v1/uploads", "{\"filename\":\"tiny.jpg\",\"content_type\":"
                + "\"image/jpeg\",\"size\":" + bytes.length + "}");
        if (res.statusCode() != 201) {
            throw new IllegalStateException("POST /v1/uploads answered " + res.statusCode() + ": " + res.body());
        }
        JsonNode u = JSON.readTree(res.body());
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(u.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        // Content-Length is signed; the client sends it from the body (HttpClient refuses to have it set).
        u.get("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        HttpResponse<String> p = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        if (p.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT answered " + p.statusCode() + ": " + p.body());
        }
        return u.get("upload_id").asText();
    }

    private Path findObjectFile(String uploadId) throws IOException {
        try (Stream<Path> s = Files.walk(work.resolve("stack"))) {
            return s.filter(p -> p.getFileName().toString().equals(uploadId) && Files.isRegularFile(p)
                    && p.getParent().getFileName().toString().equals("default")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("object of upload " + uploadId + " not found"));
        }
    }

    /**
     * Read-model lag while events arrive: the age of the newest event the projector has folded (job_events is in
     * fold order), sampled every 250 ms. Under a steady stream that is how far the read model trails Kafka.
     */
    private void sampleFoldLag(AtomicBoolean running, List<Double> out) {
        try (Connection c = db(); Statement s = c.createStatement()) {
            Thread.sleep(2000); // past the ramp-up
            while (running.get()) {
                try (ResultSet rs = s.executeQuery("SELECT extract(epoch FROM clock_timestamp() - time) * 1000 "
                        + "FROM job_events ORDER BY seq DESC LIMIT 1")) {
                    if (rs.next()) {
                        out.add(rs.getDouble(1));
                    }
                }
                Thread.sleep(250);
            }
        } catch (Exception e) {
            log("lag sampler stopped: " + e);
        }
    }

    // ================================================================== projection rate

    private void projection() throws Exception {
        int jobs = quick ? 2_000 : 5_000;
        List<JobEvent> requests = new ArrayList<>();
        List<JobEvent> lifecycle = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        MediaInfo media = MediaInfo.summary("mov,mp4,m4a,3gp,3g2,mj2", 8.0, 1280, 720, "h264", 25.0, "aac", 48000, 2);
        for (int i = 0; i < jobs; i++) {
            UUID id = UUID.randomUUID();
            requests.add(new JobRequested(UUID.randomUUID(), id, "bench", 0, t, UNSERVED_QUEUE,
                    new InputObject("uploads/bench/" + id, "clip.mp4", "video/mp4", 1234),
                    List.of(ImageOutput.of("poster", 320, null)), Map.of(), null, 600, null, false));
            lifecycle.add(new JobStarted(UUID.randomUUID(), id, "bench", 1, t.plusSeconds(1), "worker-1"));
            for (int p = 1; p <= 7; p++) {
                lifecycle.add(new JobProgress(UUID.randomUUID(), id, "bench", 1, t.plusSeconds(1 + p), p * 12.5,
                        "transcoding", p, 48.0, 100 - p * 12.5, Map.of("poster", p * 12.5)));
            }
            lifecycle.add(new JobCompleted(UUID.randomUUID(), id, "bench", 1, t.plusSeconds(10), media, List.of(
                    new OutputResult("poster", OutputType.IMAGE, List.of(new OutputFile("image.jpg",
                            "jobs/" + id + "/poster/image.jpg", 512, "image/jpeg")), null))));
        }
        int events = requests.size() + lifecycle.size();
        long before;
        try (Connection c = db(); Statement s = c.createStatement()) {
            before = count(s, "SELECT count(*) FROM job_events WHERE tenant = 'bench'");
        }
        // JobRequested on the queue topic no transcoder of the bench serves, so folding is the only work they cause.
        log("projection: " + events + " events of " + jobs + " jobs straight into Kafka");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().kafkaBootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(JobEventSerializer.SOURCE_CONFIG, "/framewright/bench");
        profile("status-projector-fold", system.projector().pid(), true);
        Map<String, Double> cpu0 = cpuByComponent();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(p, new StringSerializer(),
                new JobEventSerializer())) {
            for (JobEvent e : requests) {
                producer.send(new ProducerRecord<>(Topics.requests(UNSERVED_QUEUE), e.jobId().toString(), e));
            }
            for (JobEvent e : lifecycle) {
                producer.send(new ProducerRecord<>(Topics.JOB_LIFECYCLE, e.jobId().toString(), e));
            }
            producer.flush();
        }
        long produced = System.nanoTime();
        long folded;
        try (Connection c = db(); Statement s = c.createStatement()) {
            long deadline = produced + TimeUnit.MINUTES.toNanos(5);
            while (count(s, "SELECT count(*) FROM job_events WHERE tenant = 'bench'") - before < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("events not folded within 5 minutes");
                }
                Thread.sleep(20);
            }
            folded = System.nanoTime();
            long ok = count(s, "SELECT count(*) FROM jobs WHERE tenant = 'bench' AND status = 'succeeded' "
                    + "AND progress_percent = 100");
            if (ok < jobs) {
                throw new IllegalStateException("only " + ok + " of " + jobs + " jobs folded to succeeded");
            }
        }
        Map<String, Double> cpu1 = cpuByComponent();
        profile("status-projector-fold", system.projector().pid(), false);
        ObjectNode r = section("projection");
        r.set("cpu_ms_per_1000_events", cpuPer(cpu0, cpu1, events / 1000.0, null));
        r.put("events", events);
        r.put("jobs", jobs);
        r.put("produce_s", round((produced - t0) / 1e9, 2));
        r.put("fold_s", round((folded - t0) / 1e9, 2));
        r.put("events_per_s", Math.round(events / ((folded - t0) / 1e9)));
        emit(r);
    }

    // ================================================================== upload memory

    private void uploadMemory() throws Exception {
        long size = Long.parseLong(opts.getOrDefault("upload-bytes", Long.toString(2L << 30)));
        long pid = system.api().pid();
        byte[] head = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(inputs.resolve("warmup.mp4"))) {
            in.readNBytes(head, 0, head.length); // sniffs as MP4; the rest is filler
        }
        String boundary = "fwbench" + UUID.randomUUID().toString().replace("-", "");
        byte[] pre = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"spec\"\r\nContent-Type: "
                + "application/json\r\n\r\n{\"queue\":\"" + UNSERVED_QUEUE + "\",\"outputs\":[{\"name\":\"meta\","
                + "\"type\":\"probe\"}]}\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] post = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long total = pre.length + size + post.length;
        long baseline = rssKb(pid, "VmRSS");
        AtomicBoolean running = new AtomicBoolean(true);
        long[] peak = {baseline};
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    peak[0] = Math.max(peak[0], rssKb(pid, "VmRSS"));
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        log("upload memory: streaming " + (size >> 20) + " MiB through POST /v1/jobs (multipart); job-api RSS "
                + baseline / 1024 + " MB before");
        long t0 = System.nanoTime();
        InputStream body = new FillerStream(pre, head, size, post);
        HttpRequest req = HttpRequest.newBuilder(URI.create(api + "/v1/jobs")).timeout(Duration.ofMinutes(15))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        total)).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        sampler.join();
        ObjectNode r = section("upload");
        r.put("bytes", size);
        r.put("status", res.statusCode());
        r.put("seconds", round(seconds, 1));
        r.put("mb_per_s", round(size / 1e6 / seconds, 1));
        r.put("rss_before_mb", baseline / 1024);
        r.put("rss_peak_mb", peak[0] / 1024);
        r.put("rss_growth_mb", (peak[0] - baseline) / 1024);
        r.put("job_api_heap", "-Xmx512m (the local stack's)");
        if (res.statusCode() != 202) {
            r.put("body", res.body());
        }
        emit(r);
    }

    /** pre + head + filler up to size + post, generated as it is read. */
    static final class FillerStream extends InputStream {
        private final byte[] pre;
        private final byte[] head;
        private final long size;
        private final byte[] post;
        private final long total;
        private long pos;

        FillerStream(byte[] pre, byte[] head, long size, byte[] post) {
            this.pre = pre;
            this.head = head;
            this.size = size;
            this.post = post;
            this.total = pre.length + size + post.length;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - pos);
            for (int i = 0; i < n; i++) {
                long p = pos + i;
                if (p < pre.length) {
                    b[off + i] = pre[(int) p];
                } else if (p < pre.length + size) {
                    long q = p - pre.length;
                    b[off + i] = q < head.length ? head[(int) q] : (byte) (q * 31);
                } else {
                    b[off + i] = post[(int) (p - pre.length - size)];
                }
            }
            pos += n;
            return n;
        }
    }

    // ================================================================== wrk

    private JsonNode wrk(String script, String url, int seconds, int threads, int connections, Map<String, String> env)
            throws Exception {
        Path out = work.resolve("wrk-" + script + ".json");
        Files.deleteIfExists(out);
        List<String> cmd = List.of("/usr/bin/time", "-f", "%U %S", "-o", work.resolve("wrk-time.txt").toString(),
                "wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "--latency", "-s", repo.resolve("bench/wrk").resolve(script).toString(), url);
        log("  " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("wrk-" + script + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("API_KEY", KEY);
        pb.environment().put("RESULT", out.toString());
        int rc = pb.start().waitFor();
        if (rc != 0 || !Files.exists(out)) {
            throw new IllegalStateException("wrk failed: " + Files.readString(work.resolve("wrk-" + script + ".log")));
        }
        log("  " + Files.readString(work.resolve("wrk-" + script + ".log")).replace("\n", "\n  "));
        ObjectNode r = (ObjectNode) JSON.readTree(out.toFile());
        r.put("command", String.join(" ", cmd.subList(5, cmd.size())).replace(repo.toString() + "/", ""));
        String[] t = Files.readAllLines(work.resolve("wrk-time.txt")).get(0).trim().split(" ");
        r.put("wrk_cpu_s", Double.parseDouble(t[0]) + Double.parseDouble(t[1]));
        return r;
    }

    // ================================================================== CPU per component (a system-level profile)

    /** user+system CPU seconds so far of this JVM (Kafka broker, S3Proxy, the bench) and of each child process. */
    static Map<String, Double> cpuByComponent() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.merge("kafka (local-stack JVM)", cpuSeconds(ProcessHandle.current().pid()), Double::sum);
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd;
            try { // postgres backends rewrite their argv, which ProcessHandle.Info does not always parse
                cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
            } catch (IOException e) {
                cmd = "";
            }
            String name = cmd.contains("job-api") ? "job-api" : cmd.contains("status-projector") ? "status-projector"
                    : cmd.contains("transcoder") ? "transcoders" : cmd.contains("postgres") ? "postgresql"
                    : cmd.toLowerCase(Locale.ROOT).contains("s3proxy") ? "s3proxy"
                    : cmd.contains("wrk") ? "wrk" : "other";
            cpu.merge(name, cpuSeconds(p.pid()), Double::sum);
        });
        cpu.put("machine busy (all processes)", machineBusySeconds());
        return cpu;
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }

    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** CPU ms per unit of work of each component between two snapshots (wrk's own from /usr/bin/time). */
    static ObjectNode cpuPer(Map<String, Double> before, Map<String, Double> after, double units, Double wrkSeconds) {
        ObjectNode o = JSON.createObjectNode();
        double ours = 0;
        for (var e : after.entrySet()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (e.getKey().equals("wrk") && wrkSeconds != null) {
                d = wrkSeconds;
            }
            if (!e.getKey().startsWith("machine")) {
                ours += d;
            }
            o.put(e.getKey(), round(1000 * d / units, 3));
        }
        if (wrkSeconds != null && !after.containsKey("wrk")) {
            o.put("wrk", round(1000 * wrkSeconds / units, 3));
            ours += wrkSeconds;
        }
        o.put("all of the stack + load generator", round(1000 * ours / units, 3));
        return o;
    }

    // ================================================================== helpers

    /** With --profile true: a JFR recording (profile settings) of a service around a section, via jcmd. */
    private void profile(String name, long pid, boolean start) throws Exception {
        if (!Boolean.parseBoolean(opts.getOrDefault("profile", "false"))) {
            return;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> cmd = start
                ? List.of(jcmd, Long.toString(pid), "JFR.start", "name=" + name, "settings=profile")
                : List.of(jcmd, Long.toString(pid), "JFR.stop", "name=" + name,
                        "filename=" + work.resolve(name + ".jfr"));
        new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postMultipart(String spec, String filename, String type, byte[] file)
            throws Exception {
        String boundary = "fwbench" + UUID.randomUUID().toString().replace("-", "");
        byte[] a = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"spec\"\r\nContent-Type: "
                + "application/json\r\n\r\n" + spec + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"file\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] b = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[a.length + file.length + b.length];
        System.arraycopy(a, 0, body, 0, a.length);
        System.arraycopy(file, 0, body, a.length, file.length);
        System.arraycopy(b, 0, body, a.length + file.length, b.length);
        return http.send(HttpRequest.newBuilder(URI.create(api + "/v1/jobs")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Seconds from each stage's first progress event to the next stage's (the last stage ends at the terminal). */
    private Map<String, Double> stageSeconds(UUID id) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Connection c = db(); var ps = c.prepareStatement("""
                SELECT coalesce(payload->>'stage', type), min(time) FROM job_events WHERE job_id = ?
                GROUP BY 1 ORDER BY 2""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                String prev = null;
                Instant prevAt = null;
                while (rs.next()) {
                    Instant at = rs.getTimestamp(2).toInstant();
                    if (prev != null) {
                        out.put(prev, ms(prevAt, at) / 1000);
                    }
                    prev = rs.getString(1);
                    prevAt = at;
                }
            }
        }
        return out;
    }

    private Connection db() throws Exception {
        var pg = system.stack().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().kafkaBootstrapServers()));
    }

    private long endOffsets(String topic) throws Exception {
        try (Admin admin = admin()) {
            var desc = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            desc.partitions().forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    static double ms(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e6;
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    static ObjectNode stats(List<Double> xs) {
        ObjectNode o = JSON.createObjectNode();
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        o.put("n", s.size());
        if (s.isEmpty()) {
            return o;
        }
        o.put("p50", round(pct(s, 50), 1));
        o.put("p90", round(pct(s, 90), 1));
        o.put("p99", round(pct(s, 99), 1));
        o.put("max", round(s.get(s.size() - 1), 1));
        o.put("mean", round(s.stream().mapToDouble(Double::doubleValue).average().orElse(0), 1));
        return o;
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private ObjectNode section(String name) {
        ObjectNode o = JSON.createObjectNode();
        o.put("section", name);
        o.put("load_average", loadAverage());
        if (!extraEnv().isEmpty()) {
            o.put("extra_env", extraEnv().toString());
        }
        return o;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " " + Files.readString(
                    Path.of("/proc/loadavg")).trim().split(" ", 4)[1] + " " + Files.readString(Path.of("/proc/loadavg"))
                    .trim().split(" ", 4)[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private void emit(ObjectNode r) {
        r.put("load_average_after", loadAverage());
        results.println(r.toString());
        log(r.toString());
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void log(String s) {
        System.out.println("[platform " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + s);
        System.out.flush();
    }
}
