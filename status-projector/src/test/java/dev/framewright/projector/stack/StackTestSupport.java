package dev.framewright.projector.stack;

import static org.assertj.core.api.Assertions.fail;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventSerializer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;

/** Produces events as the other services do (plain producer, the contract's serializer) and reads the database. */
public abstract class StackTestSupport {

    @Inject
    protected Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, JobEvent> producer;

    protected KafkaProducer<String, JobEvent> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                    new StringSerializer(), new JobEventSerializer());
        }
        return producer;
    }

    @AfterEach
    void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** Sends in order, keyed by job id like every producer of the contract, and waits for the acks. */
    protected void send(String topic, JobEvent... events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (JobEvent e : events) {
            acks.add(producer().send(new ProducerRecord<>(topic, e.jobId().toString(), e)));
        }
        producer().flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    protected RowSet<Row> query(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(params))).await().atMost(Duration.ofSeconds(30));
    }

    protected Row one(String sql, Object... params) {
        RowSet<Row> rows = query(sql, params);
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    protected long count(String sql, Object... params) {
        return one(sql, params).getLong(0);
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted waiting for " + what);
            }
        }
    }
}
