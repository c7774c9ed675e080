package io.aiaas.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients, all driven by one thread: each connection sends a request head that announces a body, then
 * trickles the body one byte per period. Records, per connection, when and how the server ended it: the status of
 * its answer, or a close or reset without one.
 */
final class TricklingClients implements AutoCloseable {

    /** How one connection ended, {@code millis} after its head was sent; status 0 when there was no answer. */
    record Outcome(int status, long millis, String how) {
    }

    private static final class Connection {
        final SocketChannel channel;
        final long headSentNanos;
        final StringBuilder received = new StringBuilder();
        volatile Outcome outcome;

        Connection(SocketChannel channel, long headSentNanos) {
            this.channel = channel;
            this.headSentNanos = headSentNanos;
        }

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - headSentNanos);
        }
    }

    private final List<Connection> connections;
    private final Selector selector;
    private final Duration period;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long bytesTrickled;

    private TricklingClients(List<Connection> connections, Selector selector, Duration period) {
        this.connections = connections;
        this.selector = selector;
        this.period = period;
        this.thread = new Thread(this::loop, "trickling-clients");
        this.thread.setDaemon(true);
    }

    /** Opens {@code count} connections, sends each the head, then trickles from a thread of its own. */
    static TricklingClients open(String host, int port, int count, String head, Duration period) throws IOException {
        Selector selector = Selector.open();
        List<Connection> connections = new ArrayList<>(count);
        TricklingClients clients = new TricklingClients(connections, selector, period);
        try {
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer buffer = ByteBuffer.wrap(headBytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                Connection connection = new Connection(channel, System.nanoTime());
                connections.add(connection);
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, connection);
            }
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw e;
        }
        clients.thread.start();
        return clients;
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(4096);
        long nextTrickle = System.nanoTime() + period.toNanos();
        try {
            while (running) {
                long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTrickle - System.nanoTime()));
                selector.select(waitMillis);
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Connection) key.attachment(), in);
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextTrickle) {
                    trickle();
                    nextTrickle += period.toNanos();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                System.err.println("trickling clients stopped: " + e);
            }
        }
    }

    private void trickle() {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (Connection connection : connections) {
            if (connection.outcome != null) {
                continue;
            }
            try {
                one.clear();
                one.put(0, (byte) ' ');
                if (connection.channel.write(one) == 1) {
                    bytesTrickled++;
                }
            } catch (IOException e) {
                end(connection, new Outcome(0, connection.millis(), "write failed: " + e.getMessage()));
            }
        }
    }

    private void read(Connection connection, ByteBuffer in) {
        if (connection.outcome != null) {
            return;
        }
        try {
            in.clear();
            int read = connection.channel.read(in);
            if (read < 0) {
                end(connection, new Outcome(0, connection.millis(), "closed without an answer"));
                return;
            }
            connection.received.append(new String(in.array(), 0, read, StandardCharsets.ISO_8859_1));
            int lineEnd = connection.received.indexOf("\r\n");
            if (lineEnd >= 0) {
                String statusLine = connection.received.substring(0, lineEnd);
                String[] parts = statusLine.split(" ", 3);
                int status = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : 0;
                end(connection, new Outcome(status, connection.millis(), statusLine));
            }
        } catch (IOException e) {
            end(connection, new Outcome(0, connection.millis(), "reset: " + e.getMessage()));
        }
    }

    private static void end(Connection connection, Outcome outcome) {
        connection.outcome = outcome;
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // the outcome is what counts
        }
    }

    /** Connections the server has not ended yet. */
    int open() {
        return (int) connections.stream().filter(c -> c.outcome == null).count();
    }

    long bytesTrickled() {
        return bytesTrickled;
    }

    /** Waits until the server ended every connection or the time is up; answers whether all ended. */
    boolean awaitAllEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return open() == 0;
    }

    /** The outcome of every connection, null for one still open. */
    List<Outcome> outcomes() {
        return connections.stream().map(c -> c.outcome).toList();
    }

    /** Stops trickling and closes every connection still open. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
