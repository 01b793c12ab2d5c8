package dev.framewright.projector.park;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.CloudEventHeaders;
import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import dev.framewright.events.Topics;
import dev.framewright.projector.kafka.JobEventProjector;
import dev.framewright.projector.kafka.ReceivedEventDeserializer;
import dev.framewright.projector.stack.Lifecycles;
import dev.framewright.projector.stack.ProjectorStackResource;
import dev.framewright.projector.stack.StackTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/**
 * Records published straight to Kafka that the projector cannot fold, among ordinary lifecycles: the ordinary jobs
 * still succeed, the bad records are parked with their reason, the channel stays up, and reading the same records
 * again (as after a restart) neither stops the fold nor parks anything twice.
 */
@QuarkusTest
@QuarkusTestResource(ProjectorStackResource.class)
class PoisonRecordsTest extends StackTestSupport {

    private static final String COMPLETED = "framewright.job.completed.v1";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    JobEventProjector projector;

    @Test
    void poisonRecordsAreParkedAndEveryOtherJobStillSucceeds() throws Exception {
        Lifecycles a = Lifecycles.newJob();
        Lifecycles b = Lifecycles.newJob();
        Lifecycles nul = Lifecycles.newJob();
        // (a) a label with NUL: the JSON escape \u0000, which PostgreSQL's jsonb refuses.
        JobRequested poisoned = new JobRequested(UUID.randomUUID(), nul.jobId(), "acme", 0, nul.t0(),
                Topics.DEFAULT_QUEUE, nul.requested(Topics.DEFAULT_QUEUE, null).input(),
                nul.requested(Topics.DEFAULT_QUEUE, null).outputs(), Map.of("note", "a\u0000b"), null, null, null,
                false);
        assertThat(new String(JobEventJson.write(poisoned), StandardCharsets.UTF_8)).contains("\\u0000");
        // (c) a terminal event without its job id, and one with a number that is a word; (b) not JSON at all.
        String missingJobId = json(a.completed(1, 9)).replaceFirst("\"jobId\":\"[^\"]+\",", "");
        String wrongType = json(a.completed(1, 9)).replaceFirst("\"attempt\":1", "\"attempt\":\"first\"");

        // Interleaved on the partitions of the jobs they name, so they share batches with ordinary events.
        try (KafkaProducer<String, byte[]> raw = rawProducer(1024 * 1024)) {
            send(raw, Topics.JOB_REQUESTS, a.jobId(), a.requested(Topics.DEFAULT_QUEUE, null));
            send(raw, Topics.JOB_REQUESTS, nul.jobId(), poisoned);
            send(raw, Topics.JOB_REQUESTS, b.jobId(), b.requested(Topics.DEFAULT_QUEUE, null));
            send(raw, Topics.JOB_LIFECYCLE, a.jobId(), a.started(1, 1));
            sendRaw(raw, Topics.JOB_LIFECYCLE, a.jobId().toString(), COMPLETED, "this is {not json".getBytes());
            sendRaw(raw, Topics.JOB_LIFECYCLE, a.jobId().toString(), COMPLETED, missingJobId.getBytes());
            sendRaw(raw, Topics.JOB_LIFECYCLE, a.jobId().toString(), COMPLETED, wrongType.getBytes());
            // A type newer than this projector: skipped, not parked.
            sendRaw(raw, Topics.JOB_LIFECYCLE, b.jobId().toString(), "framewright.job.teleported.v1",
                    "{}".getBytes());
            send(raw, Topics.JOB_LIFECYCLE, nul.jobId(), nul.started(1, 1));
            send(raw, Topics.JOB_LIFECYCLE, b.jobId(), b.started(1, 1));
            send(raw, Topics.JOB_LIFECYCLE, a.jobId(), a.progress(1, 5, 50));
            send(raw, Topics.JOB_LIFECYCLE, a.jobId(), a.completed(1, 9));
            send(raw, Topics.JOB_LIFECYCLE, nul.jobId(), nul.completed(1, 9));
            send(raw, Topics.JOB_LIFECYCLE, b.jobId(), b.completed(1, 9));
            raw.flush();
        }

        for (Lifecycles job : List.of(a, b, nul)) {
            await("job " + job.jobId() + " to succeed", Duration.ofSeconds(60),
                    () -> "succeeded".equals(status(job.jobId())));
        }
        await("four parked records", Duration.ofSeconds(30), () -> count("SELECT count(*) FROM parked_records "
                + "WHERE job_id = ANY($1)", (Object) new UUID[] {a.jobId(), nul.jobId()}) == 4);

        Row nulRow = one("SELECT * FROM parked_records WHERE job_id = $1", nul.jobId());
        assertThat(nulRow.getString("topic")).isEqualTo(Topics.JOB_REQUESTS);
        assertThat(nulRow.getString("error_class")).isEqualTo("fold");
        assertThat(nulRow.getString("error_code")).isEqualTo("database_refused");
        assertThat(nulRow.getString("sql_state")).isEqualTo("22P05");
        assertThat(nulRow.getString("tenant")).isEqualTo("acme");
        assertThat(nulRow.getString("record_key")).isEqualTo(nul.jobId().toString());
        assertThat(nulRow.getString("ce_type")).isEqualTo(poisoned.type());
        assertThat(nulRow.getBuffer("payload").getBytes()).isEqualTo(JobEventJson.write(poisoned));
        // The job's other events folded; only the request (and its labels) is missing.
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1", nul.jobId())).isEqualTo(2);

        Map<String, String> byCode = new HashMap<>();
        query("SELECT error_code, error_class, error_message FROM parked_records WHERE job_id = $1 ORDER BY \"offset\"",
                a.jobId()).forEach(r -> byCode.put(r.getString(0), r.getString(1) + ": " + r.getString(2)));
        assertThat(byCode).containsOnlyKeys("malformed_json", "missing_field", "invalid_field");
        assertThat(byCode.get("missing_field")).startsWith("decode: ").contains("jobId");
        assertThat(byCode.get("invalid_field")).startsWith("decode: ");
        // The good events around them: a's history is exactly its four events.
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1", a.jobId())).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM parked_records WHERE job_id = $1", b.jobId())).isZero();

        given().get("/q/health").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("framewright_projector_parked_records_total{reason=\"database_refused\"")
                .contains("framewright_projector_records_skipped_total{reason=\"unknown_type\"")
                .contains("framewright_projector_parked_unresolved");

        // The operator sees them.
        JsonPath listed = given().get("/admin/parked?limit=1000").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("job_id", String.class)).contains(nul.jobId().toString(), a.jobId().toString());

        // Re-read every record as a restarted projector would: the batch is acknowledged, nothing parks twice,
        // no event is stored twice.
        long parkedBefore = count("SELECT count(*) FROM parked_records");
        long eventsBefore = count("SELECT count(*) FROM job_events");
        String outcome = reconsume(List.of(Topics.JOB_REQUESTS, Topics.JOB_LIFECYCLE));
        assertThat(outcome).isEqualTo("acked");
        assertThat(count("SELECT count(*) FROM parked_records")).isEqualTo(parkedBefore);
        assertThat(count("SELECT count(*) FROM job_events")).isEqualTo(eventsBefore);
        given().get("/q/health").then().statusCode(200);
    }

    @Test
    void anEventOverTheSizeLimitIsParkedAsTooLarge() throws Exception {
        // The broker's default refuses records over 1 MiB; a queue topic configured larger lets one through.
        String queue = "big-" + Long.toHexString(System.nanoTime());
        String topic = Topics.requests(queue);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(4 * 1024 * 1024))))).all().get();
        }
        Lifecycles big = Lifecycles.newJob();
        Lifecycles after = Lifecycles.newJob();
        JobRequested request = big.requested(queue, null);
        JobRequested huge = new JobRequested(request.eventId(), request.jobId(), request.tenant(), 0, request.time(),
                queue, request.input(), request.outputs(), Map.of("blob", "x".repeat(1_300_000)), null, null, null,
                false);
        try (KafkaProducer<String, byte[]> raw = rawProducer(4 * 1024 * 1024)) {
            send(raw, topic, big.jobId(), huge);
            send(raw, topic, after.jobId(), after.requested(queue, null));
            raw.flush();
        }
        await("the next request on the topic", Duration.ofSeconds(60), () -> queue.equals(queueOf(after.jobId())));
        await("the big one parked", Duration.ofSeconds(30),
                () -> count("SELECT count(*) FROM parked_records WHERE job_id = $1", big.jobId()) == 1);
        Row row = one("SELECT error_code, payload_bytes, tenant FROM parked_records WHERE job_id = $1", big.jobId());
        assertThat(row.getString(0)).isEqualTo("too_large");
        assertThat(row.getInteger(1)).isGreaterThan(1_300_000);
        assertThat(row.getString(2)).isEqualTo("acme");
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id = $1", big.jobId())).isZero();
    }

    @Test
    void aRecordTheDatabaseRefusedIsReappliedOnceTheCauseIsFixed() throws Exception {
        // An operator's mistake on the database (here a constraint) refuses one tenant's events.
        query("ALTER TABLE job_events ADD CONSTRAINT test_refuse_blocked CHECK (tenant <> 'blocked') NOT VALID");
        Lifecycles blocked = new Lifecycles(UUID.randomUUID(), "blocked", Lifecycles.newJob().t0());
        Lifecycles other = Lifecycles.newJob();
        long id;
        try {
            send(Topics.JOB_LIFECYCLE, blocked.started(1, 1), other.started(1, 1));
            await("the other tenant's job", Duration.ofSeconds(30), () -> "running".equals(status(other.jobId())));
            await("the refused event parked", Duration.ofSeconds(30),
                    () -> count("SELECT count(*) FROM parked_records WHERE job_id = $1", blocked.jobId()) == 1);
            Row parked = one("SELECT id, error_code, sql_state FROM parked_records WHERE job_id = $1",
                    blocked.jobId());
            assertThat(parked.getString(1)).isEqualTo("database_refused");
            assertThat(parked.getString(2)).isEqualTo("23514");
            id = parked.getLong(0);

            // Re-applied before the fix: still parked, with the reason.
            given().post("/admin/parked/" + id + "/reapply").then().statusCode(200)
                    .body("outcome", org.hamcrest.Matchers.equalTo("still_parked"))
                    .body("error_code", org.hamcrest.Matchers.equalTo("database_refused"));
        } finally {
            query("ALTER TABLE job_events DROP CONSTRAINT test_refuse_blocked");
        }
        assertThat(status(blocked.jobId())).isNotEqualTo("running");

        given().post("/admin/parked/" + id + "/reapply").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("reapplied"));
        assertThat(status(blocked.jobId())).isEqualTo("running");
        Row row = one("SELECT reapplied_at, reapply_attempts FROM parked_records WHERE id = $1", id);
        assertThat(row.getOffsetDateTime(0)).isNotNull();
        assertThat(row.getInteger(1)).isEqualTo(2);
        // Once is enough.
        given().post("/admin/parked/" + id + "/reapply").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("already_reapplied"));
        given().post("/admin/parked/999999999/reapply").then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("not_found"));
        // The bulk command leaves what still fails parked (the NUL label of the other test, if it ran) and says so.
        JsonPath all = given().post("/admin/parked/reapply").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("results.outcome", String.class)).doesNotContain("reapplied");
    }

    /** Reads the topics from the start with the projector's deserializer and hands them to it as one batch. */
    private String reconsume(List<String> topics) throws Exception {
        Map<TopicPartition, List<ConsumerRecord<String, dev.framewright.projector.kafka.DecodedRecord>>> all =
                new LinkedHashMap<>();
        ReceivedEventDeserializer deserializer = new ReceivedEventDeserializer();
        deserializer.configure(Map.of(), false);
        try (KafkaConsumer<String, dev.framewright.projector.kafka.DecodedRecord> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, "reread-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100_000),
                new StringDeserializer(), deserializer)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 3) {
                ConsumerRecords<String, dev.framewright.projector.kafka.DecodedRecord> polled =
                        consumer.poll(Duration.ofSeconds(1));
                if (polled.isEmpty() && !all.isEmpty()) {
                    empty++;
                }
                for (ConsumerRecord<String, dev.framewright.projector.kafka.DecodedRecord> r : polled) {
                    all.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
                }
            }
        }
        ConsumerRecords<String, dev.framewright.projector.kafka.DecodedRecord> records = new ConsumerRecords<>(all);
        List<dev.framewright.projector.kafka.DecodedRecord> payload = new ArrayList<>();
        records.forEach(r -> payload.add(r.value()));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Message<List<dev.framewright.projector.kafka.DecodedRecord>> batch = Message.of(payload,
                Metadata.of(new IncomingKafkaRecordBatchMetadata<>(records, JobEventProjector.CHANNEL, Map.of())),
                () -> {
                    outcome.complete("acked");
                    return CompletableFuture.completedFuture(null);
                }, failure -> {
                    outcome.complete("nacked: " + failure);
                    return CompletableFuture.completedFuture(null);
                });
        projector.project(batch).await().atMost(Duration.ofMinutes(2));
        return outcome.getNow("neither");
    }

    private KafkaProducer<String, byte[]> rawProducer(int maxRequest) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> raw, String topic, UUID key, JobEvent e) throws Exception {
        sendRaw(raw, topic, key.toString(), e.type(), JobEventJson.write(e));
    }

    private static void sendRaw(KafkaProducer<String, byte[]> raw, String topic, String key, String ceType,
            byte[] body) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        raw.send(new ProducerRecord<>(topic, null, key, body, headers)).get();
    }

    private static String json(JobEvent e) {
        return new String(JobEventJson.write(e), StandardCharsets.UTF_8);
    }

    private String status(UUID jobId) {
        Row row = one("SELECT status FROM jobs WHERE id = $1", jobId);
        return row == null ? null : row.getString(0);
    }

    private String queueOf(UUID jobId) {
        Row row = one("SELECT queue FROM jobs WHERE id = $1", jobId);
        return row == null ? null : row.getString(0);
    }
}
