package io.aiaas.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The launcher's children by name: how each was started (so that it can be started again exactly so), its current
 * process, waiting until it is ready, kill, stop and restart on purpose, and a report of a death that was not on
 * purpose. {@link LocalStack} decides what to start; this class only runs what it is given.
 */
final class ChildProcesses implements AutoCloseable {

    /** How a child is started: command, environment, working directory, port, and the URL that answers when ready. */
    record Launch(String name, List<String> command, Map<String, String> env, Path workDir, int port,
            String readyUrl) {
    }

    private final Path logDir;
    private final Duration startTimeout;
    private final PrintStream log;
    private final Consumer<String> onChildDeath;
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    /** The current process and the way it was started, by child name, for kill, stop and restart. */
    private final Map<String, ChildProcess> byName = new ConcurrentHashMap<>();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private volatile boolean closing;

    ChildProcesses(Path logDir, Duration startTimeout, PrintStream log, Consumer<String> onChildDeath) {
        this.logDir = logDir;
        this.startTimeout = startTimeout;
        this.log = log;
        this.onChildDeath = onChildDeath;
    }

    /** A command that runs the jar with the launcher's own JVM (so a JDK 17 on the PATH is all the machine needs). */
    static List<String> javaJar(List<String> jvmOptions, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return List.copyOf(command);
    }

    /** Fails, naming the child, when something already listens on the port. */
    static void ensurePortFree(int port, String name) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name
                    + " is in use: is another stack running? (stop it, or set AIAAS_LOCAL_*_PORT)");
        }
    }

    /** Starts a child and waits until it is ready. */
    void launch(Launch launch) {
        launchUnready(launch).run();
    }

    /** Starts a child and answers what waits until it is ready (and fails fast when it dies first). */
    Runnable launchUnready(Launch launch) {
        String name = launch.name();
        Path logFile = logFile(name);
        log.printf("starting %-16s log: %s%n", name, logFile);
        Instant begin = Instant.now();
        ChildProcess child = ChildProcess.start(name, launch.command(), launch.env(), launch.workDir(), logFile);
        ChildProcess previous = byName.put(name, child);
        launches.put(name, launch);
        if (previous != null) {
            children.remove(previous);
        }
        children.add(child);
        child.onExit().thenRun(() -> {
            // Ctrl-C reaches the children too (same process group): give the shutdown hook time to say so
            Readiness.sleep(1000);
            if (!closing && !child.stopRequested()) {
                onChildDeath.accept(name + " (pid " + child.pid() + ") exited with code " + child.exitValue()
                        + "; last lines of " + logFile + ":" + System.lineSeparator() + child.logTail(30));
            }
        });
        return () -> {
            Readiness.await(name, launch.readyUrl(), child, startTimeout);
            log.printf("%-16s ready in %d s at %s%n", name, Duration.between(begin, Instant.now()).toSeconds(),
                    launch.readyUrl().substring(0, launch.readyUrl().indexOf('/', "http://".length())));
        };
    }

    /** See {@link LocalStack#kill}. */
    void kill(String name) {
        ChildProcess child = child(name);
        log.printf("killing %s (pid %d) with SIGKILL%n", name, child.pid());
        child.kill();
    }

    /** See {@link LocalStack#terminate}. */
    CompletableFuture<Integer> terminate(String name) {
        ChildProcess child = child(name);
        log.printf("sending SIGTERM to %s (pid %d)%n", name, child.pid());
        return child.terminate();
    }

    /** See {@link LocalStack#stop}. */
    void stop(String name) {
        ChildProcess child = child(name);
        if (child.isAlive()) {
            log.printf("stopping %s (pid %d)%n", name, child.pid());
        }
        child.close();
    }

    /** See {@link LocalStack#restart}. */
    void restart(String name) {
        Launch launch = launches.get(name);
        if (launch == null) {
            throw new IllegalArgumentException("no child named " + name + "; known: " + launches.keySet());
        }
        if (child(name).isAlive()) {
            throw new IllegalStateException(name + " is still running: stop or kill it first");
        }
        ensurePortFree(launch.port(), name);
        Path logFile = logFile(name);
        try {
            Files.writeString(logFile, System.lineSeparator() + "---- restarted by the launcher at " + Instant.now()
                    + " ----" + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.printf("cannot mark the restart in %s: %s%n", logFile, e.getMessage());
        }
        launch(launch);
    }

    /** See {@link LocalStack#logLines}. */
    long logLines(String name, String text) {
        Path logFile = logFile(name);
        try (Stream<String> lines = Files.lines(logFile)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot read " + logFile + ": " + e.getMessage(), e);
        }
    }

    long pid(String name) {
        return child(name).pid();
    }

    boolean isAlive(String name) {
        return child(name).isAlive();
    }

    /** See {@link LocalStack#diagnostics}. */
    String diagnostics(int lines) {
        StringBuilder out = new StringBuilder();
        for (ChildProcess child : snapshot()) {
            out.append("==== ").append(child.name()).append(" (pid ").append(child.pid()).append(", ")
                    .append(child.isAlive() ? "running" : "exited with code " + child.exitValue()
                            + (child.stopRequested() ? ", stopped on purpose" : ""))
                    .append("), last lines of ").append(child.logFile()).append(':').append(System.lineSeparator())
                    .append(child.logTail(lines)).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** Stops the children in reverse order of start; one that cannot be stopped does not keep the others running. */
    @Override
    public void close() {
        closing = true;
        List<ChildProcess> reversed = snapshot();
        Collections.reverse(reversed);
        for (ChildProcess child : reversed) {
            try {
                if (child.isAlive()) {
                    log.printf("stopping %s (pid %d)%n", child.name(), child.pid());
                }
                child.close();
            } catch (RuntimeException e) {
                log.printf("could not stop %s (pid %d): %s%n", child.name(), child.pid(), e);
            }
        }
    }

    private List<ChildProcess> snapshot() {
        synchronized (children) {
            return new ArrayList<>(children);
        }
    }

    private Path logFile(String name) {
        return logDir.resolve(name + ".log");
    }

    private ChildProcess child(String name) {
        ChildProcess child = byName.get(name);
        if (child == null) {
            throw new IllegalArgumentException("no child named " + name + "; known: " + byName.keySet());
        }
        return child;
    }
}
