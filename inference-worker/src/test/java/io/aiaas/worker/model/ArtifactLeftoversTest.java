package io.aiaas.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed while downloading or unpacking a model leaves files in its cache directory; the next process
 * removes them at start (a container restarted in the same pod keeps its emptyDir), and nothing it did not write.
 */
class ArtifactLeftoversTest {

    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path cache;

    @Test
    void whatAPreviousProcessLeftIsRemovedAndNothingElse() throws IOException {
        Files.writeString(cache.resolve("iris-1-" + SHA + ".onnx"), "a downloaded artifact");
        Files.createDirectories(cache.resolve("big-3-" + SHA + ".onnx.d/model"));
        Files.writeString(cache.resolve("big-3-" + SHA + ".onnx.d/model/weights.bin"), "unpacked weights");
        Path unpacking = cache.resolve("big-3-" + SHA + ".onnx.0b6f7c8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f.unpacking");
        Files.createDirectories(unpacking.resolve("model"));
        Files.writeString(unpacking.resolve("model/weights.bin"), "half unpacked");
        Files.writeString(cache.resolve("big-1234567890.part"), "half downloaded");
        Files.writeString(cache.resolve("notes.txt"), "someone else's");
        Files.writeString(cache.resolve("model.onnx"), "someone else's model");
        Files.createDirectories(cache.resolve("keep.d"));

        ArtifactDownloader downloader = new ArtifactDownloader(() -> "unused", cache, "http://127.0.0.1:1");
        assertEquals(4, downloader.removeLeftovers());
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(Set.of("notes.txt", "model.onnx", "keep.d"),
                    left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertEquals(0, downloader.removeLeftovers());
        assertEquals(0, new ArtifactDownloader(() -> "unused", cache.resolve("absent"), "http://127.0.0.1:1")
                .removeLeftovers());
    }
}
