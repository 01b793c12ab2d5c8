package dev.framewright.api.job;

import dev.framewright.api.tenant.ApiKeyStore;
import dev.framewright.api.tenant.Authenticator;
import dev.framewright.events.JobEventsChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One {@code LISTEN} connection for the whole process on {@link JobEventsChannel}: the projector notifies it in the
 * transaction that folds a batch, and this wakes only the event streams of the jobs it names. The subscriber
 * reconnects by itself; after every (re)subscription every stream is woken, since notifications sent while nobody
 * listened are gone. Streams keep a slow safety poll of their own, so a lost connection costs latency, never events.
 *
 * <p>The same connection listens on {@link ApiKeyStore#REVOKED_CHANNEL}, so a revoked key is forgotten by every
 * instance at once (and every cached key lookup after a reconnect, for revocations sent meanwhile).
 */
@ApplicationScoped
public class JobEventSignals {

    private static final Logger LOG = Logger.getLogger(JobEventSignals.class);

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Map<UUID, Set<Runnable>> waiting = new ConcurrentHashMap<>();
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;

    public JobEventSignals(Vertx vertx, Authenticator authenticator,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(firstUrl(url));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                // Forever, at most 5 s apart: the stream's own safety poll covers the gap.
                .reconnectPolicy(retries -> Math.min(5_000L, 250L * (retries + 1)));
        subscriber.channel(JobEventsChannel.NAME)
                .subscribeHandler(this::wakeAll)
                .endHandler(() -> LOG.debugf("Not listening on %s until the subscriber reconnects", JobEventsChannel.NAME))
                .handler(this::notified);
        subscriber.channel(ApiKeyStore.REVOKED_CHANNEL)
                .subscribeHandler(authenticator::invalidateAll)
                .handler(authenticator::forgetHash);
        connect();
    }

    /** The first connection is not covered by the reconnect policy: retried here until it succeeds. */
    private void connect() {
        if (stopped) {
            return;
        }
        subscriber.connect().subscribe().with(ok -> LOG.debugf("Listening on %s", JobEventsChannel.NAME), failure -> {
            LOG.warnf("Cannot LISTEN on %s yet (%s); event streams poll until it works", JobEventsChannel.NAME,
                    failure.getMessage());
            vertx.setTimer(5_000, t -> connect());
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Calls {@code wake} whenever the job may have new events, until the returned handle is run. */
    Runnable register(UUID jobId, Runnable wake) {
        waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> waiting.computeIfPresent(jobId, (id, wakes) -> {
            wakes.remove(wake);
            return wakes.isEmpty() ? null : wakes;
        });
    }

    private void notified(String payload) {
        Set<UUID> jobIds = JobEventsChannel.jobIds(payload);
        if (jobIds == null) {
            wakeAll();
            return;
        }
        for (UUID id : jobIds) {
            Set<Runnable> wakes = waiting.get(id);
            if (wakes != null) {
                wakes.forEach(Runnable::run);
            }
        }
    }

    private void wakeAll() {
        waiting.values().forEach(wakes -> wakes.forEach(Runnable::run));
    }

    /** Quarkus accepts a comma-separated list and a {@code vertx-reactive:} prefix; the subscriber takes one URI. */
    static String firstUrl(String url) {
        String first = url.split(",")[0].trim();
        return first.startsWith("vertx-reactive:") ? first.substring("vertx-reactive:".length()) : first;
    }
}
