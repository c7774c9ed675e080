package io.aiaas.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One server started by the launcher: its process, its log file, an orderly stop and a kill -9. A child that was
 * told to stop or was killed on purpose says so ({@link #stopRequested()}), so its exit is not reported as a death.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts the command with the extra environment given, stdout and stderr appended to the log file. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                     Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(env);
            Process process = builder.start();
            // no child reads its stdin; closing it keeps a terminal's Ctrl-C for the launcher alone
            process.getOutputStream().close();
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** True once {@link #close()} or {@link #kill()} was called: an exit from then on is intended. */
    public boolean stopRequested() {
        return stopRequested.get();
    }

    /**
     * SIGKILL to the process and its descendants, as a crash or an OOM killer would do it, then waits until the
     * process is gone (so its port is free again). The exit is intended: it is not reported as a death.
     */
    public void kill() {
        stopRequested.set(true);
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        // on Linux destroyForcibly is SIGKILL: no shutdown hook, no flush, no goodbye to open connections
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive " + KILL_WAIT.toSeconds()
                        + " s after SIGKILL");
            }
            for (ProcessHandle child : descendants) {
                child.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a process started by " + name + " survived SIGKILL", e);
        }
    }

    /**
     * SIGTERM to the process and its descendants, and nothing after it: no wait, no SIGKILL. The exit is intended.
     *
     * @return completes with the exit code when the process is gone
     */
    public CompletableFuture<Integer> terminate() {
        stopRequested.set(true);
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        // on Linux destroy is SIGTERM: the JVM runs its shutdown hooks, Quarkus its shutdown
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        return process.onExit().thenApply(Process::exitValue);
    }

    /** The last lines of the log, for a message that says why a child died. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to the process and its descendants (kc.sh forks java), SIGKILL after a grace period. */
    @Override
    public void close() {
        stopRequested.set(true);
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : descendants) {
                child.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
        } catch (Exception e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
