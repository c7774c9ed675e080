package io.aiaas.worker.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident set size of this process, read from {@code /proc/self/status} (Linux). */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** VmRSS in bytes; -1 where the kernel does not say (not Linux, no /proc). */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // the kernel writes kB (KiB)
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: callers use their estimate instead
        }
        return -1;
    }
}
