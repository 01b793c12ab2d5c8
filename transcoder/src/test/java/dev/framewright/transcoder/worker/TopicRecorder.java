package dev.framewright.transcoder.worker;

import dev.framewright.events.JobEvent;
import dev.framewright.events.JobEventDeserializer;
import dev.framewright.events.JobEventSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the stack tests read from and write to the real broker: a reader thread that hands every record of some
 * topics to the test from the beginning (a group of its own), and an acks=all producer of job events.
 */
public final class TopicRecorder implements AutoCloseable {

    private final Thread reader;
    private volatile boolean reading = true;

    private TopicRecorder(String bootstrap, String name, List<String> topics,
            Consumer<ConsumerRecord<String, JobEvent>> sink) {
        reader = new Thread(() -> {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new JobEventDeserializer())) {
                consumer.subscribe(topics);
                while (reading) {
                    consumer.poll(Duration.ofMillis(200)).forEach(sink);
                }
            }
        }, name + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading {@code topics} from their beginning, each record to {@code sink}. */
    public static TopicRecorder start(String bootstrap, String name, List<String> topics,
            Consumer<ConsumerRecord<String, JobEvent>> sink) {
        return new TopicRecorder(bootstrap, name, topics, sink);
    }

    /** A producer of job events that waits for every replica, as the services' producers do. */
    public static KafkaProducer<String, JobEvent> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new JobEventSerializer());
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        reader.join(5000);
    }
}
