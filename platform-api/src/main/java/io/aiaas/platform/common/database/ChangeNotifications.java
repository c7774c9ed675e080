package io.aiaas.platform.common.database;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Delivers PostgreSQL {@code NOTIFY} messages to this replica: one connection LISTENs on the channels features
 * subscribe to, so a change committed by any replica (a revoked key, a suspended tenant, a new model version) reaches
 * every replica's caches within milliseconds. When the connection is lost, subscribers are told to forget
 * everything ({@code payload == null}), because notifications sent meanwhile are gone; their cache TTLs are the
 * backstop while it reconnects.
 */
@ApplicationScoped
public class ChangeNotifications {

    private static final Logger LOG = Logger.getLogger(ChangeNotifications.class);
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final AgroalDataSource dataSource;
    private final EntityManager em;
    private final Map<String, List<BiConsumer<String, String>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    ChangeNotifications(AgroalDataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    /**
     * Sends a notification to every replica (this one included) when, and only if, the current transaction commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String channel, String payload) {
        em.createNativeQuery("SELECT CAST(pg_notify(:channel, :payload) AS text)")
                .setParameter("channel", channel)
                .setParameter("payload", payload)
                .getSingleResult();
    }

    /**
     * Calls {@code subscriber(channel, payload)} for each notification on the channel, on the listener thread (keep
     * it short), and {@code subscriber(channel, null)} after the connection was lost and came back.
     */
    public void subscribe(String channel, BiConsumer<String, String> subscriber) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    /** True while the LISTEN connection is up. */
    public boolean isListening() {
        return listening;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "aiaas-change-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(2_000);
        }
    }

    private void loop() {
        long backoff = 100;
        boolean lostBefore = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                Set<String> listened = new HashSet<>();
                listenToNewChannels(connection, listened);
                listening = true;
                backoff = 100;
                if (lostBefore) {
                    LOG.info("change notifications: listening again; caches reset");
                    forgetEverything();
                }
                while (running) {
                    listenToNewChannels(connection, listened);
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getName(), notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (listening || !lostBefore) {
                    LOG.warnf("change notifications: connection lost (%s); reconnecting", e.getMessage());
                }
                listening = false;
                lostBefore = true;
                forgetEverything();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** Subscriptions may arrive after the loop started (beans are created lazily): listen to those too. */
    private void listenToNewChannels(Connection connection, Set<String> listened) throws SQLException {
        if (listened.size() == subscribers.size()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String channel : subscribers.keySet()) {
                if (listened.add(channel)) {
                    statement.execute("LISTEN " + quoted(channel));
                }
            }
        }
    }

    private void forgetEverything() {
        subscribers.keySet().forEach(channel -> deliver(channel, null));
    }

    private void deliver(String channel, String payload) {
        for (BiConsumer<String, String> subscriber : subscribers.getOrDefault(channel, List.of())) {
            try {
                subscriber.accept(channel, payload);
            } catch (RuntimeException e) {
                LOG.warnf("change notification subscriber on %s failed: %s", channel, e.getMessage());
            }
        }
    }

    /** Channel names are our own constants; quoting keeps them identifiers whatever they hold. */
    private static String quoted(String channel) {
        return "\"" + channel.replace("\"", "\"\"") + "\"";
    }
}
